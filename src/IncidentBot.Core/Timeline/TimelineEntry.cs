using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Timeline;

/// <summary>What happened, for a timeline entry. Stored as its number: never renumber, only add.</summary>
public enum TimelineKind
{
    Declared = 0,
    StateChanged = 1,
    SeverityChanged = 2,
    RoleAssigned = 3,
    StatusUpdate = 4,
    Note = 5,
    ReminderSent = 6,
    Snoozed = 7,
    ParticipantJoined = 8,
    MessagePinned = 9,
    MessageReacted = 10,
    FollowUpAdded = 11,
    FollowUpChanged = 12,
    FollowUpNudged = 13,

    /// <summary>An alert of the group that opened the incident: firing, or resolved (numbered apart from the chat kinds).</summary>
    Alert = 20,
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

    /// <summary>A new entry of <paramref name="incident"/>.</summary>
    public static TimelineEntry For(Incident incident, DateTimeOffset at, TimelineKind kind, Person actor, string text, string? sourceRef = null) => new()
    {
        IncidentId = incident.Id,
        At = at,
        Kind = kind,
        Actor = actor,
        Text = text,
        SourceRef = sourceRef,
    };
}
