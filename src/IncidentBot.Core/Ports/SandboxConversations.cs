using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Ports;

/// <summary>A conversation of the sandbox platform (the bot's own chat in its web pages): the announcements or an incident's.</summary>
/// <param name="Id">The conversation id the outbox names (<see cref="OutgoingMessage.ConversationId"/>).</param>
/// <param name="Name">Shown in the conversation list, like a channel name.</param>
/// <param name="Topic">Shown above the messages; the incident's topic once it is set.</param>
/// <param name="CreatedAt">When the adapter created it.</param>
public sealed record SandboxConversation(string Id, string Name, string Topic, DateTimeOffset CreatedAt);

/// <summary>
/// One message of a sandbox conversation. <see cref="Sequence"/> grows with every post and every update in place
/// (across all conversations), so "after sequence N" is everything a reader who saw N has not seen yet.
/// </summary>
/// <param name="Sequence">Taken at the last write of the message: its post, or its latest update.</param>
/// <param name="ConversationId">The conversation it is in.</param>
/// <param name="MessageRef">The message's id, stable across updates (what an anchor remembers).</param>
/// <param name="RecipientId">Set for a private answer: only this person sees it.</param>
/// <param name="Message">The neutral message, rendered by the sandbox page.</param>
/// <param name="File">A file posted with the message (the postmortem), downloadable from the page.</param>
/// <param name="PostedAt">When it was posted.</param>
/// <param name="EditedAt">When it was last updated in place; null when never.</param>
public sealed record SandboxMessage(
    long Sequence,
    string ConversationId,
    string MessageRef,
    string? RecipientId,
    ChatMessage Message,
    ChatFile? File,
    DateTimeOffset PostedAt,
    DateTimeOffset? EditedAt);
