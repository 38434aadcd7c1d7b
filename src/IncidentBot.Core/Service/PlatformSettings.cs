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
    int ConversationNameMaxLength = 80);
