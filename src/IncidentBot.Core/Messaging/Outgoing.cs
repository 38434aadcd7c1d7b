using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Messaging;

/// <summary>The outbox messages handlers build most: to the incident's own conversation, and the header refresh.</summary>
public static class Outgoing
{
    public static OutgoingMessage ToIncident(Incident incident, ChatOperation operation, ChatMessage? message = null) => new()
    {
        Platform = incident.Platform,
        IncidentId = incident.Id,
        Operation = operation,
        Message = message,
    };

    public static OutgoingMessage Post(Incident incident, ChatMessage message) => ToIncident(incident, ChatOperation.Post, message);

    /// <summary>An answer to one person, given later than the platform's own answer to their request (see docs/ARCHITECTURE.md).</summary>
    public static OutgoingMessage Private(string platform, string conversationId, string? serviceUrl, string recipientId, RichText text) => new()
    {
        Platform = platform,
        Operation = ChatOperation.PostPrivate,
        ConversationId = conversationId,
        ServiceUrl = serviceUrl,
        RecipientId = recipientId,
        Message = new ChatMessage { Text = text },
    };

    /// <summary>Header update plus topic: what every visible change of the incident owes.</summary>
    public static IEnumerable<OutgoingMessage> HeaderRefresh(Incident incident)
    {
        yield return ToIncident(incident, ChatOperation.Update, IncidentMessages.Header(incident)) with { Anchor = IncidentMessages.HeaderAnchor };
        yield return ToIncident(incident, ChatOperation.SetTopic, IncidentMessages.Changed(IncidentMessages.Topic(incident)));
    }
}
