namespace IncidentBot.Core.Service;

/// <summary>How a platform delivers a message to one person directly, beside the mention in the incident conversation.</summary>
public enum DirectMessages
{
    /// <summary>It does not: the mention in the incident conversation is all.</summary>
    None,

    /// <summary>A message posted to the person's user id reaches them (Slack: the app's Messages tab).</summary>
    ByUserId,

    /// <summary>
    /// Only in a 1:1 conversation the person already has with the bot (Teams): the message is written for the person
    /// (<see cref="Messaging.ChatOperation.PostDirect"/>) and the platform finds that conversation when it delivers it.
    /// </summary>
    WhereConversationExists,
}

/// <summary>Per-platform settings the use cases need: where to announce, whom to invite.</summary>
/// <param name="Platform">The adapter's platform name.</param>
/// <param name="AnnouncementConversationId">Where declarations and status updates are broadcast; null for nowhere.</param>
/// <param name="Responders">User ids invited to every incident conversation.</param>
/// <param name="ConversationNameMaxLength">Longest conversation name the platform accepts.</param>
public sealed record PlatformSettings(
    string Platform,
    string? AnnouncementConversationId,
    IReadOnlyList<string> Responders,
    int ConversationNameMaxLength = 80)
{
    /// <summary>
    /// A link that opens a conversation of this platform, with <c>{conversation}</c> standing for its id; the adapter
    /// knows its platform's links, Core does not. Null: the postmortem shows the id.
    /// </summary>
    public string? ConversationLinkTemplate { get; init; }

    /// <summary>How a message reaches one person directly (an overdue follow-up's owner), if at all.</summary>
    public DirectMessages DirectMessages { get; init; }

    /// <summary>Every incident declared on this platform is a drill (the sandbox): practice never counts as an outage.</summary>
    public bool DrillsOnly { get; init; }

    /// <summary>The link to the incident's own conversation, when the platform has one and the conversation exists.</summary>
    public string? ConversationLink(Incidents.Incident incident) =>
        ConversationLinkTemplate is { } template && incident.ConversationId is { } id
            ? template.Replace("{conversation}", Uri.EscapeDataString(id), StringComparison.Ordinal)
            : null;
}
