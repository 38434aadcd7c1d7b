using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Capture;

/// <summary>A chat message captured onto the timeline (pinned, reacted to, or a participant joining).</summary>
/// <param name="SourceRef">Stable id of the captured message (channel + ts) so a second capture is a no-op.</param>
public sealed record CapturedChatEvent(
    string Platform,
    string ConversationId,
    TimelineKind Kind,
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
        new(platform, conversationId, TimelineKind.Note, author, link is null ? text : $"{text} ({link})", at, $"{conversationId}:{messageId}");
}
