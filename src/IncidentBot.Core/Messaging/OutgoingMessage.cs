namespace IncidentBot.Core.Messaging;

/// <summary>What the dispatcher must do on the chat platform. Stored by name; the numbers are pinned all the same.</summary>
public enum ChatOperation
{
    /// <summary>Create the incident's own conversation (channel or thread), invite people, set topic.</summary>
    OpenIncidentConversation = 0,

    /// <summary>Post a message; with an anchor, remember its id to update it later.</summary>
    Post = 1,

    /// <summary>Replace the message remembered under the anchor.</summary>
    Update = 2,

    /// <summary>Set the incident conversation's topic.</summary>
    SetTopic = 3,

    /// <summary>Upload a file into the conversation.</summary>
    UploadFile = 4,

    /// <summary>
    /// An answer to one person (<see cref="OutgoingMessage.RecipientId"/>) in a conversation: shown to them alone where
    /// the platform can (Slack), else posted as a reply in that conversation (Teams has no private message in a channel).
    /// </summary>
    PostPrivate = 5,

    /// <summary>Create the issue tracker's issue for follow-up <see cref="OutgoingMessage.FollowUpNumber"/> (platform <c>tracker</c>).</summary>
    OpenTrackerIssue = 6,

    /// <summary>Close the follow-up's tracker issue as completed (done).</summary>
    CompleteTrackerIssue = 7,

    /// <summary>Close the follow-up's tracker issue as not planned (dropped).</summary>
    DropTrackerIssue = 8,

    /// <summary>Archive the incident's conversation (Slack: <c>conversations.archive</c>); platforms without it deliver nothing.</summary>
    ArchiveConversation = 9,

    /// <summary>
    /// A message to one person (<see cref="OutgoingMessage.RecipientId"/>) in their own 1:1 conversation with the bot, which
    /// the platform looks up when it delivers (it may be recorded after the message was written): where the person has
    /// none, nothing is sent and the message counts as delivered.
    /// </summary>
    PostDirect = 10,
}

/// <summary>Visual weight of a button.</summary>
public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

/// <summary>A button with an action id that is stable across versions, and the value it carries.</summary>
public sealed record MessageButton(string ActionId, string Label, string Value, ButtonStyle Style = ButtonStyle.Default);

/// <summary>A labelled fact shown in a message (severity, state, commander, ...).</summary>
public sealed record MessageField(string Label, string Value);

/// <summary>A platform-neutral message: each platform renders it (Block Kit, Adaptive Card).</summary>
public sealed record ChatMessage
{
    public RichText? Title { get; init; }

    public required RichText Text { get; init; }

    public IReadOnlyList<MessageField> Fields { get; init; } = [];

    public IReadOnlyList<MessageButton> Buttons { get; init; } = [];

    /// <summary>User ids to mention (rendered as the platform's mention).</summary>
    public IReadOnlyList<string> Mentions { get; init; } = [];

    /// <summary>Append a link to the incident's conversation, resolved when the message is delivered.</summary>
    public bool LinksIncidentConversation { get; init; }
}

/// <summary>How to open the incident's conversation.</summary>
public sealed record ConversationSpec(string Name, string Topic, string Purpose, IReadOnlyList<string> Invitees);

/// <summary>A file to upload.</summary>
public sealed record ChatFile(string Name, string Title, string Content);

/// <summary>
/// One thing the bot owes a chat platform, written to the outbox in the same transaction as the
/// change that caused it. A null <see cref="ConversationId"/> means the incident's own conversation,
/// resolved when the message is delivered (it may not exist yet when the message is written).
/// </summary>
public sealed record OutgoingMessage
{
    public required string Platform { get; init; }

    public long? IncidentId { get; init; }

    public required ChatOperation Operation { get; init; }

    public string? ConversationId { get; init; }

    /// <summary>Where the platform's API answers for <see cref="ConversationId"/> (Teams service URL); null: the incident's.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>
    /// Names a message to remember (on Post) or to replace (on Update), e.g. "header". An anchored Post is posted
    /// once per incident: a retry finds the anchor stored and only redoes what failed after the post (its pin).
    /// </summary>
    public string? Anchor { get; init; }

    /// <summary>
    /// On Update: the platform's id of the message to replace in <see cref="ConversationId"/>, known directly
    /// (the card a button was clicked on) rather than through an <see cref="Anchor"/>.
    /// </summary>
    public string? MessageId { get; init; }

    public bool Pin { get; init; }

    /// <summary>With <see cref="ChatOperation.PostPrivate"/> and <see cref="ChatOperation.PostDirect"/>: the platform user id of the one person it is for.</summary>
    public string? RecipientId { get; init; }

    public ChatMessage? Message { get; init; }

    public ConversationSpec? Conversation { get; init; }

    public ChatFile? File { get; init; }

    /// <summary>With the tracker operations: the follow-up whose issue this is.</summary>
    public int? FollowUpNumber { get; init; }

    /// <summary>
    /// Messages with the same order key leave in the order they were written. A direct message has the person's own:
    /// one that is waiting must not hold up the incident's conversation.
    /// </summary>
    public string OrderKey =>
        Operation == ChatOperation.PostDirect ? $"{Platform}:direct:{RecipientId}"
        : ConversationId is { } id ? $"{Platform}:{id}"
        : $"{Platform}:incident:{IncidentId}";
}
