using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Service;

/// <summary>Who asked, from where: what an edge knows about an authenticated request.</summary>
/// <param name="Platform">The adapter's platform name (each adapter owns its one constant).</param>
/// <param name="WorkspaceId">Slack team id or Teams tenant id.</param>
/// <param name="ConversationId">Conversation the request came from.</param>
/// <param name="User">Who asked.</param>
/// <param name="InboundEventId">Platform id of the request (event id, activity id) for de-duplication.</param>
/// <param name="ServiceUrl">Teams service URL for replies; null for Slack.</param>
public sealed record CommandContext(
    string Platform,
    string WorkspaceId,
    string ConversationId,
    Person User,
    string? InboundEventId = null,
    string? ServiceUrl = null)
{
    /// <summary>The platform's id of the message whose button was clicked (Teams <c>replyToId</c>), when the edge knows it.</summary>
    public string? SourceMessageId { get; init; }
}
