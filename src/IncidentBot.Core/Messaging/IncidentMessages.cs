using System.Globalization;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Messaging;

/// <summary>Builds the platform-neutral messages an incident owes; the platforms render them.</summary>
public static class IncidentMessages
{
    public const string HeaderAnchor = "header";

    /// <summary>The pinned header: state, severity, commander, and the buttons for the next steps.</summary>
    public static ChatMessage Header(Incident incident)
    {
        var fields = new List<MessageField>
        {
            new("Severity", incident.Severity.ToString()),
            new("State", incident.State.ToString()),
            new("Commander", incident.Commander.Name),
            new("Type", TypeLabel(incident.Type)),
            new("Declared", FormatInstant(incident.DeclaredAt)),
        };
        foreach (var (role, person) in incident.Roles)
        {
            fields.Add(new(Capitalize(role), person.Name));
        }

        if (incident.ReviewedAt is { } reviewed)
        {
            fields.Add(new("Reviewed", $"{FormatInstant(reviewed)} by {incident.ReviewedBy?.Name ?? "-"}"));
        }

        if (incident.ClosedAt is { } closed)
        {
            fields.Add(new("Closed", FormatInstant(closed)));
        }

        if (incident.FollowUps.Count(f => f.IsOpen) is var open and > 0)
        {
            fields.Add(new("Open follow-ups", open.ToString(CultureInfo.InvariantCulture)));
        }

        return new ChatMessage
        {
            Title = $"{incident.Key}: {incident.Title}",
            Text = DrillMark(incident) + (string.IsNullOrWhiteSpace(incident.Description) ? $"{incident.Severity} {TypeLabel(incident.Type)} incident" : incident.Description),
            Fields = fields,
            Buttons = HeaderButtons(incident),
            Mentions = [incident.Commander.Id],
        };
    }

    /// <summary>"Drill: " before a drill's text, so nobody takes the rehearsal for an outage; nothing for a real incident.</summary>
    public static string DrillMark(Incident incident) => incident.IsDrill ? "Drill: " : "";

    /// <summary>Buttons for the moves the lifecycle allows now, plus Post update while open.</summary>
    public static IReadOnlyList<MessageButton> HeaderButtons(Incident incident)
    {
        var value = incident.Id.ToString(CultureInfo.InvariantCulture);
        var buttons = new List<MessageButton>(4);
        if (Lifecycle.IsAllowed(incident.State, LifecycleAction.Acknowledge))
        {
            buttons.Add(new(ActionIds.Acknowledge, "Acknowledge", value, ButtonStyle.Primary));
        }

        if (Lifecycle.IsAllowed(incident.State, LifecycleAction.Mitigate))
        {
            buttons.Add(new(ActionIds.Mitigate, "Mitigate", value));
        }

        if (Lifecycle.IsAllowed(incident.State, LifecycleAction.Resolve))
        {
            buttons.Add(new(ActionIds.Resolve, "Resolve", value, ButtonStyle.Danger));
        }

        if (incident.IsOpen)
        {
            buttons.Add(new(ActionIds.PostUpdate, "Post update", value));
        }
        else
        {
            buttons.Add(new(ActionIds.ExportPostmortem, "Export postmortem", value));
        }

        return buttons;
    }

    public static string Topic(Incident incident) => incident.State switch
    {
        IncidentState.Reviewed or IncidentState.Closed =>
            $"{incident.Key} | {incident.Severity} | {incident.State} (post-incident) | Commander: {incident.Commander.Name}",
        _ => $"{incident.Key} | {incident.Severity} | {incident.State} | Commander: {incident.Commander.Name}",
    };

    public static ChatMessage Changed(string text) => new() { Text = text };

    /// <summary>Time to acknowledge, mitigate and resolve, as fields; time to review and to close once they happened.</summary>
    public static IReadOnlyList<MessageField> DurationFields(Incident incident)
    {
        var fields = new List<MessageField>(5)
        {
            new("Time to acknowledge", FormatDuration(incident.TimeToAcknowledge)),
            new("Time to mitigate", FormatDuration(incident.TimeToMitigate)),
            new("Time to resolve", FormatDuration(incident.TimeToResolve)),
        };
        if (incident.TimeToReview is { } review)
        {
            fields.Add(new("Time to review", FormatDuration(review)));
        }

        if (incident.TimeToClose is { } close)
        {
            fields.Add(new("Time to close", FormatDuration(close)));
        }

        return fields;
    }

    public static string TypeLabel(IncidentType type) => type switch
    {
        IncidentType.CustomerReported => "Customer-reported",
        IncidentType.Deployment => "Deployment",
        _ => "Livesite",
    };

    public static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string FormatDuration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return "-";
        }

        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h {d.Minutes:00}m")
            : d.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes}m {d.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalSeconds}s");
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
