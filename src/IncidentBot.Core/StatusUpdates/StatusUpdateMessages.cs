using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.StatusUpdates;

/// <summary>The status update as posted in the incident and broadcast.</summary>
public static class StatusUpdateMessages
{
    public static ChatMessage StatusUpdate(Incident incident, Person actor, string text) => new()
    {
        Title = $"Status update on {incident.Key}: {incident.Title}",
        Text = text,
        Fields = [new("State", incident.State.ToString()), new("Severity", incident.Severity.ToString()), new("From", actor.Name)],
        LinksIncidentConversation = true,
    };
}
