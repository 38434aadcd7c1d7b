using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.FollowUps;

/// <summary>Where a follow-up stands. Stored by name; the numbers are pinned all the same.</summary>
public enum FollowUpState
{
    Open = 0,
    Done = 1,
    Dropped = 2,
}

/// <summary>
/// A corrective or preventive action an incident leaves behind. <see cref="Number"/> is what people type
/// (<c>followup done 3</c>): counted per workspace, so it names one follow-up of one incident for good.
/// </summary>
public sealed record FollowUp
{
    public required int Number { get; init; }

    public required string Text { get; init; }

    /// <summary>Who will do it; null while unassigned.</summary>
    public Person? Owner { get; init; }

    /// <summary>The day it is due (a calendar day, no time of day); null when it has none.</summary>
    public DateOnly? Due { get; init; }

    public FollowUpState State { get; init; } = FollowUpState.Open;

    /// <summary>Why it was dropped (required on drop).</summary>
    public string? DropReason { get; init; }

    /// <summary>The tracker issue it is mirrored to, once one exists.</summary>
    public string? TrackerUrl { get; init; }

    /// <summary>The link of the chat message it was added from (the message shortcut / action), if any.</summary>
    public string? SourceLink { get; init; }

    public required Person CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was done or dropped.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The UTC day its owner was last nudged about it (at most one nudge a day).</summary>
    public DateOnly? LastNudgedOn { get; init; }

    public bool IsOpen => State == FollowUpState.Open;

    /// <summary>Open with its due day before <paramref name="today"/>.</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && Due is { } due && due < today;

    /// <summary>
    /// When its owner is next nudged: from the start of the UTC day after the due day, and never twice on one UTC day;
    /// null while it has no owner, no due day, or is no longer open. The stores keep this as the nudge schedule.
    /// </summary>
    public DateTimeOffset? NextNudgeAt()
    {
        if (!IsOpen || Owner is null || Due is not { } due)
        {
            return null;
        }

        var first = due.AddDays(1);
        var day = LastNudgedOn is { } last && last.AddDays(1) > first ? last.AddDays(1) : first;
        return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    /// <summary>The anchor of its message in the incident conversation (posted once, updated on every change).</summary>
    public string Anchor => FollowUpMessages.AnchorOf(Number);
}

/// <summary>A due date as typed: a calendar day, or a number of days from today.</summary>
public sealed record DueSpec(DateOnly? Date, int? Days)
{
    /// <summary>The calendar day this names, counted from <paramref name="now"/>'s UTC day.</summary>
    public DateOnly Resolve(DateTimeOffset now) => Date ?? DateOnly.FromDateTime(now.UtcDateTime).AddDays(Days ?? 0);
}
