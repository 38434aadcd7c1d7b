namespace IncidentBot.Core.Service;

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

    /// <summary>Whether a message posted to a user id reaches that person directly (Slack: the app's Messages tab).</summary>
    public bool DirectMessagesByUserId { get; init; }

    /// <summary>Every incident declared on this platform is a drill (the sandbox): practice never counts as an outage.</summary>
    public bool DrillsOnly { get; init; }

    /// <summary>The link to the incident's own conversation, when the platform has one and the conversation exists.</summary>
    public string? ConversationLink(Incidents.Incident incident) =>
        ConversationLinkTemplate is { } template && incident.ConversationId is { } id
            ? template.Replace("{conversation}", Uri.EscapeDataString(id), StringComparison.Ordinal)
            : null;
}
