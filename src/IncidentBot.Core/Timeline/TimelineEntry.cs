using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Timeline;

/// <summary>What happened, for a timeline entry.</summary>
public enum TimelineKind
{
    Declared,
    StateChanged,
    SeverityChanged,
    RoleAssigned,
    StatusUpdate,
    Note,
    ReminderSent,
    Snoozed,
    ParticipantJoined,
    MessagePinned,
    MessageReacted,
}

/// <summary>
/// One event on an incident's timeline. <see cref="SourceRef"/> names the chat message or event
/// it came from, so the same message captured twice is one entry.
/// </summary>
public sealed record TimelineEntry
{
    public long Id { get; init; }

    public long IncidentId { get; init; }

    /// <summary>UTC instant the event happened (for captured messages, the message's own time).</summary>
    public required DateTimeOffset At { get; init; }

    public required TimelineKind Kind { get; init; }

    public required Person Actor { get; init; }

    public required string Text { get; init; }

    public string? SourceRef { get; init; }

    /// <summary>Hidden from the postmortem by the commander; kept in the store, never deleted.</summary>
    public bool Redacted { get; init; }
}
