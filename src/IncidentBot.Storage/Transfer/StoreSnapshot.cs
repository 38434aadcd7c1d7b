using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Storage.Transfer;

/// <summary>Everything a store holds, row by row with its ids, as <c>migrate-store</c> moves it between stores.</summary>
public sealed record StoreSnapshot
{
    public IReadOnlyList<WorkspaceCounter> Counters { get; init; } = [];

    public IReadOnlyList<Incident> Incidents { get; init; } = [];

    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];

    public IReadOnlyList<OutboxRow> Outbox { get; init; } = [];

    public IReadOnlyList<InboundEvent> Inbound { get; init; } = [];

    public IReadOnlyList<ReminderRow> Reminders { get; init; } = [];

    public IReadOnlyList<AnchorRow> Anchors { get; init; } = [];

    public IReadOnlyList<DirectConversation> DirectConversations { get; init; } = [];

    public IReadOnlyList<ChannelArchiveRow> ChannelArchives { get; init; } = [];

    public IReadOnlyList<SandboxConversation> SandboxConversations { get; init; } = [];

    public IReadOnlyList<SandboxMessageRow> SandboxMessages { get; init; } = [];

    /// <summary>The last sandbox sequence given out: the copy goes on after it, so a new post or update is news to every reader.</summary>
    public long SandboxSequence { get; init; }

    /// <summary>1:1 conversations in key order (ordinal: not every database's collation is), as every store exports them.</summary>
    public static IReadOnlyList<DirectConversation> InKeyOrder(IEnumerable<DirectConversation> conversations) =>
        conversations.OrderBy(c => c.Platform, StringComparer.Ordinal).ThenBy(c => c.WorkspaceId, StringComparer.Ordinal).ThenBy(c => c.UserId, StringComparer.Ordinal).ToList();

    /// <summary>Sandbox conversations in id order (ordinal), as every store exports them.</summary>
    public static IReadOnlyList<SandboxConversation> InIdOrder(IEnumerable<SandboxConversation> conversations) =>
        conversations.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    /// <summary>Where the copy's sandbox sequence goes on from: never below a copied message's sequence.</summary>
    public long LastSandboxSequence() => Math.Max(SandboxSequence, SandboxMessages.Select(m => m.Sequence).DefaultIfEmpty().Max());

    /// <summary>Rows per table, in the order the command prints them.</summary>
    public IReadOnlyList<(string Table, long Rows)> Counts() =>
    [
        ("workspace_counters", Counters.Count),
        ("incidents", Incidents.Count),
        ("timeline", Timeline.Count),
        ("outbox", Outbox.Count),
        ("inbound_events", Inbound.Count),
        ("reminders", Reminders.Count),
        ("anchors", Anchors.Count),
        ("direct_conversations", DirectConversations.Count),
        ("channel_archives", ChannelArchives.Count),
        ("sandbox_conversations", SandboxConversations.Count),
        ("sandbox_messages", SandboxMessages.Count),
    ];
}

/// <summary>The last incident number and the last follow-up number given out in one workspace.</summary>
public sealed record WorkspaceCounter(string Platform, string WorkspaceId, int LastNumber, int LastFollowUp = 0);

/// <summary>An outbox row as stored: the message as its JSON payload, instants as UTC ticks.</summary>
public sealed record OutboxRow(
    long Id,
    long? IncidentId,
    string Platform,
    string OrderKey,
    string Payload,
    long CreatedAt,
    int Attempts,
    long NextAttemptAt,
    long? LeaseUntil,
    long? SentAt,
    long? FailedAt,
    string? LastError);

public sealed record InboundEvent(string EventId, long ReceivedAt);

public sealed record ReminderRow(long IncidentId, long DueAt);

public sealed record AnchorRow(long IncidentId, string Anchor, string MessageRef);

/// <summary>A closed incident on the archive schedule, with its claim (UTC ticks; 0 when never claimed) and whether its channel was archived.</summary>
public sealed record ChannelArchiveRow(long IncidentId, string Platform, long ClosedAt, long ClaimedUntil, bool Done);

/// <summary>A sandbox message as stored: its sequence, the message and file as their JSON, instants as UTC ticks.</summary>
public sealed record SandboxMessageRow(
    long Sequence,
    string ConversationId,
    string MessageRef,
    string? RecipientId,
    string Message,
    string? File,
    long PostedAt,
    long? EditedAt);

/// <summary>What <c>migrate-store</c> and <c>backup</c> need of a store, beside <see cref="Core.Ports.IIncidentStore"/>.</summary>
public interface IStoreTransfer
{
    /// <summary>Reads everything, consistently (one transaction or one engine work item).</summary>
    Task<StoreSnapshot> ExportAsync(CancellationToken cancellationToken);

    /// <summary>Writes everything with its ids in one transaction; refuses a store that holds any row.</summary>
    Task ImportAsync(StoreSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>A consistent copy of an embedded store to <paramref name="path"/>, taken while it runs.</summary>
    Task BackupAsync(string path, CancellationToken cancellationToken);
}

/// <summary>The target of <c>migrate-store</c> held data already.</summary>
public sealed class StoreNotEmptyException(string message) : InvalidOperationException(message);
