using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.FollowUps;

/// <summary>The follow-up's message in the incident conversation (with its buttons), and the list.</summary>
public static class FollowUpMessages
{
    public const string Unassigned = "unassigned";

    public static string AnchorOf(int number) => string.Create(CultureInfo.InvariantCulture, $"followup:{number}");

    /// <summary>The message everyone sees, posted once and updated on every change: Done and Assign to me while open.</summary>
    public static ChatMessage Card(Incident incident, FollowUp followUp)
    {
        var fields = new List<MessageField>
        {
            new("Owner", OwnerName(followUp)),
            new("Due", DueText(followUp)),
            new("State", StateText(followUp)),
        };
        if (followUp.DropReason is { } reason)
        {
            fields.Add(new("Reason", reason));
        }

        if (followUp.TrackerUrl is { } url)
        {
            fields.Add(new("Tracker", url));
        }

        if (followUp.SourceLink is { } source)
        {
            fields.Add(new("From message", source));
        }

        var value = incident.Id.ToString(CultureInfo.InvariantCulture);
        return new ChatMessage
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Follow-up {followUp.Number} ({incident.Key})"),
            Text = followUp.Text,
            Fields = fields,
            Buttons = followUp.IsOpen
                ?
                [
                    new(ActionIds.FollowUpDoneOf(followUp.Number), "Done", value, ButtonStyle.Primary),
                    new(ActionIds.FollowUpAssignMeOf(followUp.Number), "Assign to me", value),
                ]
                : [],
            Mentions = followUp.Owner is { } owner ? [owner.Id] : [],
        };
    }

    /// <summary>Post the card, remembered under its anchor so later changes replace it.</summary>
    public static OutgoingMessage Posted(Incident incident, FollowUp followUp) =>
        Outgoing.Post(incident, Card(incident, followUp)) with { Anchor = followUp.Anchor };

    /// <summary>Replace the card everyone sees.</summary>
    public static OutgoingMessage Refreshed(Incident incident, FollowUp followUp) =>
        Outgoing.ToIncident(incident, ChatOperation.Update, Card(incident, followUp)) with { Anchor = followUp.Anchor };

    /// <summary>One line per follow-up: id, text, owner, due, state, tracker link.</summary>
    public static RichText List(Incident incident)
    {
        if (incident.FollowUps.IsEmpty)
        {
            return RichText.Of($"{incident.Key} has no follow-ups yet. Add one with {Run.Code("followup <text> [@owner] [due:YYYY-MM-DD]")}.");
        }

        var lines = new List<RichText> { RichText.Of($"{Run.Bold($"{incident.Key} follow-ups")}") };
        foreach (var f in incident.FollowUps)
        {
            lines.Add(Line(f));
        }

        return RichText.Join(Run.LineBreak, lines);
    }

    public static RichText Line(FollowUp f)
    {
        var line = RichText.Of($"{Run.Bold(f.Number.ToString(CultureInfo.InvariantCulture))} {f.Text} | {OwnerName(f)} | due {DueText(f)} | {StateText(f)}");
        return f.TrackerUrl is { } url ? RichText.Of($"{line} | {Run.Link(url, "tracker")}") : line;
    }

    public static string OwnerName(FollowUp f) => f.Owner?.Name ?? Unassigned;

    public static string DueText(FollowUp f) => f.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";

    public static string StateText(FollowUp f) => f.State switch
    {
        FollowUpState.Done => "done",
        FollowUpState.Dropped => f.DropReason is { } reason ? $"dropped: {reason}" : "dropped",
        _ => "open",
    };

    /// <summary>The nudge to the owner of an overdue follow-up, with its buttons.</summary>
    public static ChatMessage Nudge(Incident incident, FollowUp followUp, Person owner) => new()
    {
        Text = RichText.Of($"{owner.Name}, follow-up {Run.Bold(followUp.Number.ToString(CultureInfo.InvariantCulture))} of {incident.Key} was due {DueText(followUp)}: {followUp.Text}"),
        Buttons = [new(ActionIds.FollowUpDoneOf(followUp.Number), "Done", incident.Id.ToString(CultureInfo.InvariantCulture), ButtonStyle.Primary)],
        Mentions = [owner.Id],
    };

    /// <summary>The follow-up is not this incident's: the private answer, and what to do.</summary>
    public static RichText NoSuch(Incident incident, int number) =>
        RichText.Of($"{incident.Key} has no follow-up {number.ToString(CultureInfo.InvariantCulture)}: {Run.Code("followups")} lists this incident's, with their ids.");
}
