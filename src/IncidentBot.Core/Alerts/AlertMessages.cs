using System.Globalization;
using System.Text;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Alerts;

/// <summary>The timeline entries and chat messages of alerts: labels, annotations, times and links, as text.</summary>
public static class AlertMessages
{
    /// <summary>Longest text one alert's entry keeps (label sets and annotations come from outside and can be large).</summary>
    public const int MaxEntryLength = 2_000;

    /// <summary>Alerts listed in one chat message; the timeline keeps them all.</summary>
    public const int MaxListed = 10;

    /// <summary>The person alerts are recorded as: the alerting system.</summary>
    public static Person Actor(AlertNotification notification) => new($"alerts:{notification.Source.ToLowerInvariant()}", notification.Source);

    /// <summary>The declaration an alert group asks for.</summary>
    public static DeclareRequest Declaration(AlertNotification notification, AlertTarget target, DateTimeOffset now) =>
        new(notification.Title, notification.Severity, IncidentType.Livesite, Description(notification))
        {
            Commander = target.Commander ?? Person.Unassigned,
            AnnouncementConversationId = target.AnnouncementConversationId,
            OpeningEntries = incident => OpeningEntries(incident, notification, now),
        };

    /// <summary>What opens the timeline: the group, then each alert with its labels, annotations, start and link.</summary>
    public static IReadOnlyList<TimelineEntry> OpeningEntries(Incident incident, AlertNotification notification, DateTimeOffset now)
    {
        var actor = Actor(notification);
        var firing = notification.Alerts.Count(a => a.Status == AlertStatus.Firing);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{notification.Source} opened this incident: {firing} {Plural(firing, "alert")} firing in the group \"{notification.Title}\"."));
        if (notification.TruncatedAlerts > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {notification.TruncatedAlerts} more were left out of the notification.");
        }

        if (notification.Link is { Length: > 0 } link)
        {
            text.Append(CultureInfo.InvariantCulture, $" {link}");
        }

        var entries = new List<TimelineEntry> { TimelineEntry.For(incident, now, TimelineKind.Alert, actor, Clip(text.ToString()), AlertRefs.Group(notification)) };
        entries.AddRange(AlertEntries(incident, notification, notification.Alerts, now));
        return entries;
    }

    /// <summary>One entry per alert, at the alert's own time (never later than now), each with its reference.</summary>
    public static IEnumerable<TimelineEntry> AlertEntries(Incident incident, AlertNotification notification, IEnumerable<Alert> alerts, DateTimeOffset now)
    {
        var actor = Actor(notification);
        return alerts.Select(alert => TimelineEntry.For(incident, Earlier(WhenItHappened(alert, now), now), TimelineKind.Alert, actor, Clip(Describe(alert)), AlertRefs.Alert(notification, alert)));
    }

    /// <summary>What the incident's conversation is told about alerts new to its timeline.</summary>
    public static ChatMessage Update(AlertNotification notification, IReadOnlyList<Alert> fresh, bool groupResolved)
    {
        var firing = fresh.Where(a => a.Status == AlertStatus.Firing).ToList();
        var resolved = fresh.Where(a => a.Status == AlertStatus.Resolved).ToList();
        var lines = new List<RichText>();
        if (firing.Count > 0)
        {
            lines.Add(RichText.Of($"{Run.Bold($"{firing.Count} {Plural(firing.Count, "alert")} firing")} in this incident's group:"));
            lines.AddRange(firing.Take(MaxListed).Select(a => RichText.Of($"- {Summary(a)}")));
        }

        if (resolved.Count > 0)
        {
            lines.Add(RichText.Of($"{Run.Bold($"{resolved.Count} {Plural(resolved.Count, "alert")} resolved")}:"));
            lines.AddRange(resolved.Take(MaxListed).Select(a => RichText.Of($"- {Summary(a)}")));
        }

        var left = Math.Max(0, firing.Count - MaxListed) + Math.Max(0, resolved.Count - MaxListed);
        if (left > 0)
        {
            lines.Add(RichText.Of($"and {left} more on the timeline."));
        }

        if (groupResolved)
        {
            lines.Add(RichText.Of($"{notification.Source} says the group has resolved. The incident stays open until someone resolves it."));
        }

        return new ChatMessage { Title = RichText.Of($"{Run.Picture(Icon.Alert)} {notification.Source}: {notification.Title}"), Text = RichText.Join(Run.LineBreak, lines) };
    }

    /// <summary>An alert's full description: status, labels, annotations, times and link.</summary>
    public static string Describe(Alert alert)
    {
        var text = new StringBuilder(alert.Status == AlertStatus.Firing ? "Firing: " : "Resolved: ");
        text.Append(Summary(alert));
        foreach (var (name, value) in alert.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{name}: {value}");
        }

        if (alert.StartsAt is { } started)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nStarted {IncidentMessages.FormatInstant(started)}");
        }

        if (alert.Status == AlertStatus.Resolved && alert.EndsAt is { } ended)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nEnded {IncidentMessages.FormatInstant(ended)}");
        }

        if (alert.GeneratorUrl is { Length: > 0 } url)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nSource: {url}");
        }

        return text.ToString();
    }

    /// <summary>The alert's name and labels on one line: <c>alertname {label="value", ...}</c>.</summary>
    public static string Summary(Alert alert)
    {
        var name = alert.Labels.TryGetValue("alertname", out var alertName) ? alertName : "alert";
        var labels = alert.Labels.Where(l => l.Key != "alertname").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"");
        var set = string.Join(", ", labels);
        return set.Length == 0 ? name : $"{name} {{{set}}}";
    }

    private static string Description(AlertNotification notification)
    {
        var firing = notification.Alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
        var described = firing.Select(a => a.Annotations.TryGetValue("description", out var d) ? d : null).Distinct().ToList();
        var common = described is [{ Length: > 0 } only] ? $" {only}" : "";
        return Clip($"Opened by {notification.Source}: {firing.Count} {Plural(firing.Count, "alert")} firing.{common}", 500);
    }

    private static DateTimeOffset WhenItHappened(Alert alert, DateTimeOffset now) =>
        alert.Status == AlertStatus.Resolved ? alert.EndsAt ?? now : alert.StartsAt ?? now;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, an ellipsis marking the cut.</summary>
    public static string Clip(string text, int max = MaxEntryLength) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
