namespace IncidentBot.Core.Postmortems;

/// <summary>The postmortem draft's content, rendered as Markdown or served as JSON.</summary>
public sealed record PostmortemDraft
{
    public required string Key { get; init; }

    /// <summary>A drill's postmortem says so; left out of the JSON of a real incident, so its shape is as before.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsDrill { get; init; }

    public required int Number { get; init; }

    public required string Title { get; init; }

    public required string Severity { get; init; }

    public required string Type { get; init; }

    public required string State { get; init; }

    public required string Commander { get; init; }

    public required IReadOnlyList<PostmortemRole> Roles { get; init; }

    public string? ConversationId { get; init; }

    /// <summary>A link that opens the incident's conversation, where the platform has one.</summary>
    public string? ConversationLink { get; init; }

    public required string TimeZone { get; init; }

    public required DateTimeOffset DeclaredAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset? MitigatedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public TimeSpan? TimeToAcknowledge { get; init; }

    public TimeSpan? TimeToMitigate { get; init; }

    public TimeSpan? TimeToResolve { get; init; }

    public DateTimeOffset? ReviewedAt { get; init; }

    /// <summary>Who reviewed the postmortem, once it was.</summary>
    public string? ReviewedBy { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public TimeSpan? TimeToReview { get; init; }

    public TimeSpan? TimeToClose { get; init; }

    /// <summary>Every follow-up, open, done and dropped, in the order they were added.</summary>
    public IReadOnlyList<PostmortemActionItem> ActionItems { get; init; } = [];

    public required int StatusUpdateCount { get; init; }

    public required IReadOnlyList<string> Participants { get; init; }

    public required IReadOnlyList<PostmortemEvent> Timeline { get; init; }

    public required IReadOnlyList<PostmortemEvent> StatusUpdates { get; init; }

    /// <summary>Whether the incident is resolved: only then is the draft final.</summary>
    public required bool IsFinal { get; init; }
}

/// <summary>A named role and who holds it.</summary>
public sealed record PostmortemRole(string Role, string Person);

/// <summary>A timeline row: the instant in the draft's time zone, kind, actor and text.</summary>
public sealed record PostmortemEvent(long Id, DateTimeOffset At, string Kind, string Actor, string Text);

/// <summary>A follow-up as the postmortem lists it: state is <c>open</c>, <c>done</c> or <c>dropped</c>; due as <c>YYYY-MM-DD</c>.</summary>
public sealed record PostmortemActionItem(int Id, string Text, string Owner, string? Due, string State, string? DropReason, string? TrackerUrl);
