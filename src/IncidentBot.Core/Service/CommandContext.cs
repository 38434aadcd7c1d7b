using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Service;

/// <summary>Who asked, from where: what an edge knows about an authenticated request.</summary>
/// <param name="Platform">"slack" or "teams".</param>
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

/// <summary>What the edge shows the person who asked, privately.</summary>
public enum ReplyKind
{
    /// <summary>A private text answer.</summary>
    Text,

    /// <summary>Open the declare form (Slack modal, Teams task module).</summary>
    OpenDeclareForm,

    /// <summary>The request was a repeat of one already handled: answer nothing new.</summary>
    Duplicate,
}

/// <summary>The answer to a command: a private text, and the incident it concerned if any.</summary>
public sealed record CommandReply(string Text, ReplyKind Kind = ReplyKind.Text, Incident? Incident = null, bool Changed = false)
{
    public static CommandReply Private(string text, Incident? incident = null) => new(text, ReplyKind.Text, incident);
}

/// <summary>Per-platform settings the use cases need: where to announce, whom to invite.</summary>
/// <param name="Platform">"slack" or "teams".</param>
/// <param name="AnnouncementConversationId">Where declarations and status updates are broadcast; null for nowhere.</param>
/// <param name="Responders">User ids invited to every incident conversation.</param>
/// <param name="ConversationNameMaxLength">Longest conversation name the platform accepts.</param>
public sealed record PlatformSettings(
    string Platform,
    string? AnnouncementConversationId,
    IReadOnlyList<string> Responders,
    int ConversationNameMaxLength = 80);

/// <summary>A chat message captured onto the timeline (pinned, reacted to, or a participant joining).</summary>
/// <param name="SourceRef">Stable id of the captured message (channel + ts) so a second capture is a no-op.</param>
public sealed record CapturedChatEvent(
    string Platform,
    string ConversationId,
    Timeline.TimelineKind Kind,
    Person Author,
    string Text,
    DateTimeOffset At,
    string SourceRef)
{
    /// <summary>
    /// The message an incident was declared from, as its first timeline entry: its text with its link, at its
    /// own time, once per message (<paramref name="messageId"/> within <paramref name="conversationId"/>).
    /// </summary>
    public static CapturedChatEvent DeclaredFrom(string platform, string conversationId, Person author, string text, string? link, DateTimeOffset at, string messageId) =>
        new(platform, conversationId, Timeline.TimelineKind.Note, author, link is null ? text : $"{text} ({link})", at, $"{conversationId}:{messageId}");
}
