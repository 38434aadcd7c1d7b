using System.Globalization;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Incidents;

/// <summary>What a lifecycle move posts: the new state, and the wrap-up on resolve.</summary>
public static class TransitionMessages
{
    public static ChatMessage StateChanged(Incident incident, Person actor) => new()
    {
        Text = RichText.Of($"{incident.Key} is now {Run.Bold(incident.State.ToString())} ({actor.Name})."),
        LinksIncidentConversation = true,
    };

    public static ChatMessage Resolved(Incident incident) => new()
    {
        Title = $"{incident.Key} resolved",
        Text = "Thanks, everyone. Export the postmortem draft to start the review.",
        Fields = IncidentMessages.DurationFields(incident),
        Buttons = [new(ActionIds.ExportPostmortem, "Export postmortem", incident.Id.ToString(CultureInfo.InvariantCulture), ButtonStyle.Primary)],
    };

    /// <summary>The last word: every duration, from acknowledgement to close.</summary>
    public static ChatMessage Closed(Incident incident) => new()
    {
        Title = $"{incident.Key} closed",
        Text = incident.FollowUps.Any(f => f.IsOpen)
            ? "Closed; its open follow-ups stay tracked. If it comes back, declare a new incident."
            : "Closed. If it comes back, declare a new incident.",
        Fields = IncidentMessages.DurationFields(incident),
    };
}
