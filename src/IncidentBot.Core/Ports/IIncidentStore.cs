using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Ports;

/// <summary>
/// Everything one use case writes, committed in one transaction: the incident (at its expected
/// version), its timeline entries, the messages it owes, the reminder schedule and the inbound
/// event id that caused it.
/// </summary>
public sealed record IncidentChange
{
    public required Incident Incident { get; init; }

    public IReadOnlyList<TimelineEntry> Entries { get; init; } = [];

    public IReadOnlyList<OutgoingMessage> Messages { get; init; } = [];

    /// <summary>When the next reminder falls due; null stops reminders. Ignored when <see cref="KeepsReminder"/>.</summary>
    public DateTimeOffset? NextReminderAt { get; init; }

    /// <summary>Leave the reminder schedule as it is (notes, roles: nothing that resets the clock).</summary>
    public bool KeepsReminder { get; init; }

    /// <summary>The inbound event that caused this change; a repeat of it is refused as a duplicate.</summary>
    public string? InboundEventId { get; init; }

    /// <summary>Timeline entries to hide from the postmortem (kept, marked redacted).</summary>
    public IReadOnlyList<long> RedactEntryIds { get; init; } = [];

    /// <summary>
    /// Set on a nudge for a claimed reminder: the change is written only while the reminder row still holds
    /// this claim. A status update, snooze or severity change since the claim rescheduled it, and then the
    /// save ends <see cref="SaveResult.Superseded"/> with nothing written.
    /// </summary>
    public DateTimeOffset? ReminderClaim { get; init; }

    /// <summary>A change that leaves the reminder schedule as it was (notes, roles: nothing that resets the clock).</summary>
    public static IncidentChange KeepingReminder(Incident next) => new() { Incident = next, KeepsReminder = true };
}

/// <summary>How a save ended.</summary>
public enum SaveResult
{
    Saved,

    /// <summary>Someone else changed the incident first: nothing of this change was written.</summary>
    Conflict,

    /// <summary>The inbound event was already processed: nothing of this change was written.</summary>
    Duplicate,

    /// <summary>The claimed reminder was rescheduled meanwhile (see <see cref="IncidentChange.ReminderClaim"/>): nothing was written.</summary>
    Superseded,
}

/// <summary>Undelivered outbox rows of one platform.</summary>
public sealed record OutboxBacklog(string Platform, int Pending, DateTimeOffset OldestCreatedAt);

/// <summary>Open incidents of one severity in one state.</summary>
public sealed record OpenIncidentCount(Severity Severity, IncidentState State, int Count);

/// <summary>An outbox row as the dispatcher sees it.</summary>
public sealed record OutboxItem(long Id, OutgoingMessage Message, int Attempts, DateTimeOffset CreatedAt);

/// <summary>A reminder that fell due, claimed by one scheduler until <paramref name="ClaimedUntil"/> (the claim's mark on the row).</summary>
public sealed record DueReminder(long IncidentId, DateTimeOffset DueAt, DateTimeOffset ClaimedUntil);

/// <summary>A follow-up whose owner is due a nudge, claimed by one scheduler until <paramref name="ClaimedUntil"/>.</summary>
public sealed record DueFollowUpNudge(long IncidentId, int Number, DateTimeOffset ClaimedUntil);

/// <summary>A closed incident whose conversation is due to be archived, claimed until <paramref name="ClaimedUntil"/>.</summary>
public sealed record DueChannelArchive(long IncidentId, DateTimeOffset ClaimedUntil);

/// <summary>
/// A store that commits <see cref="IIncidentStore.SaveAsync"/> calls in the order they were made (one queue, one
/// writer): the next change to an incident may then be decided on one still committing, since it cannot commit first.
/// </summary>
public interface IOrderedSaves
{
    /// <summary>
    /// Saves <paramref name="change"/> as <see cref="IIncidentStore.SaveAsync"/> does, calling <paramref name="queued"/> once
    /// it is queued behind every save made before it and before it commits: a save made after that commits after it. The
    /// store may commit on the caller's thread, so "queued" can come before the returned task, which completes once committed.
    /// </summary>
    Task<SaveResult> SaveAsync(IncidentChange change, Action queued, CancellationToken cancellationToken);
}

/// <summary>The store of incidents, timelines, the outbox and the reminder schedule.</summary>
public interface IIncidentStore
{
    /// <summary>
    /// Creates the incident with the next number of its workspace. <paramref name="build"/> receives the
    /// numbered incident (with its id) and returns the whole change, committed in the same transaction.
    /// </summary>
    Task<(SaveResult Result, Incident? Incident)> CreateAsync(Incident draft, Func<Incident, IncidentChange> build, string? inboundEventId, CancellationToken cancellationToken);

    /// <summary>Saves a change to an existing incident if its version is still <c>change.Incident.Version - 1</c>.</summary>
    Task<SaveResult> SaveAsync(IncidentChange change, CancellationToken cancellationToken);

    /// <summary>Saves several independent changes in one transaction; each gets its own result (a conflict skips only that change).</summary>
    Task<IReadOnlyList<SaveResult>> SaveBatchAsync(IReadOnlyList<IncidentChange> changes, CancellationToken cancellationToken);

    Task<Incident?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Incident?> GetByNumberAsync(string platform, string workspaceId, int number, CancellationToken cancellationToken);

    /// <summary>
    /// Incidents numbered <paramref name="number"/>, in one workspace or across all when the filters are null;
    /// at most two (enough to tell one from several), read by index.
    /// </summary>
    Task<IReadOnlyList<Incident>> FindByNumberAsync(int number, string? platform, string? workspaceId, CancellationToken cancellationToken);

    /// <summary>The newest incident with a timeline entry of this source reference (the alert group's opening entry), if any.</summary>
    Task<Incident?> FindBySourceRefAsync(string sourceRef, CancellationToken cancellationToken);

    /// <summary>The incident whose own conversation this is, if any.</summary>
    Task<Incident?> FindByConversationAsync(string platform, string conversationId, CancellationToken cancellationToken);

    /// <summary>Incidents not resolved, newest first; all workspaces when <paramref name="workspaceId"/> is null.</summary>
    Task<IReadOnlyList<Incident>> ListAsync(string? platform, string? workspaceId, bool openOnly, CancellationToken cancellationToken);

    /// <summary>One page of the incidents matching <paramref name="search"/>: open first, then newest declared first.</summary>
    Task<IncidentPage> SearchIncidentsAsync(IncidentSearch search, CancellationToken cancellationToken);

    /// <summary>Incidents declared at or after <paramref name="since"/>, oldest first, in one workspace or all when the filters are null.</summary>
    Task<IReadOnlyList<Incident>> ListDeclaredSinceAsync(DateTimeOffset since, string? platform, string? workspaceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken);

    /// <summary>
    /// The latest <paramref name="count"/> entries not left out of the postmortem, oldest first: what the status
    /// view shows, read from the end of the index whatever the timeline's length.
    /// </summary>
    Task<IReadOnlyList<TimelineEntry>> GetRecentTimelineAsync(long incidentId, int count, CancellationToken cancellationToken);

    /// <summary>One entry of this incident, or null when the incident has no entry of that id.</summary>
    Task<TimelineEntry?> GetTimelineEntryAsync(long incidentId, long entryId, CancellationToken cancellationToken);

    /// <summary>Appends one entry unless an entry with the same source reference exists; false when it did.</summary>
    Task<bool> AppendEntryAsync(TimelineEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Writes messages that change no incident (a welcome, an answer to a command) to the outbox, recording
    /// <paramref name="inboundEventId"/> in the same transaction; a repeat of it writes nothing.
    /// </summary>
    Task<SaveResult> EnqueueAsync(IReadOnlyList<OutgoingMessage> messages, string? inboundEventId, CancellationToken cancellationToken);

    Task<bool> WasInboundProcessedAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Records an inbound event id; false when it was seen before.</summary>
    Task<bool> TryRecordInboundAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Remembers the incident's conversation once the platform created it.</summary>
    Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken);

    Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken);

    Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> deliverable rows: due, not leased, and first unsent in their order key.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimOutboxAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends the leases of rows still being delivered, so a live claimer keeps them and a dead one loses them soon.</summary>
    Task RenewLeasesAsync(IReadOnlyCollection<long> outboxIds, DateTimeOffset until, CancellationToken cancellationToken);

    Task MarkSentAsync(long outboxId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt; <paramref name="nextAttemptAt"/> null means it will never succeed.</summary>
    Task MarkFailedAsync(long outboxId, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>Rows not yet sent (nor given up), for tests and readiness.</summary>
    Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken);

    /// <summary>Rows not yet sent (nor given up) per platform, with when the oldest of them was written: what operators watch.</summary>
    Task<IReadOnlyList<OutboxBacklog>> GetOutboxBacklogAsync(CancellationToken cancellationToken);

    /// <summary>How many incidents are not resolved, per severity and state.</summary>
    Task<IReadOnlyList<OpenIncidentCount>> CountOpenIncidentsAsync(CancellationToken cancellationToken);

    /// <summary>Claims reminders due at <paramref name="now"/>: each claimed row moves past <paramref name="now"/> so no other scheduler gets it.</summary>
    Task<IReadOnlyList<DueReminder>> ClaimDueRemindersAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the workspace's next follow-up number (the id people type), in a transaction of its own: a number
    /// taken by a change that is then not saved is never handed out again. The workspace has an incident already.
    /// </summary>
    Task<int> NextFollowUpNumberAsync(string platform, string workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims follow-up nudges due at <paramref name="now"/>. The schedule is kept from each saved incident's follow-ups
    /// (<see cref="FollowUps.FollowUp.NextNudgeAt"/>); a claimed row moves past <paramref name="now"/> so no other scheduler gets it.
    /// </summary>
    Task<IReadOnlyList<DueFollowUpNudge>> ClaimDueFollowUpNudgesAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Claims closed incidents of <paramref name="platform"/> closed at or before <paramref name="closedBefore"/> whose conversation is
    /// not archived yet. The store records every incident saved as Closed (in the save's transaction), so the schedule survives restarts;
    /// a claimed row is not handed out again before <c>now + lease</c>, so one scheduler across replicas gets it.
    /// </summary>
    Task<IReadOnlyList<DueChannelArchive>> ClaimDueChannelArchivesAsync(string platform, DateTimeOffset closedBefore, DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the incident's archive as written to the outbox: it is never claimed again.</summary>
    Task CompleteChannelArchiveAsync(long incidentId, CancellationToken cancellationToken);

    /// <summary>Incidents that have follow-ups (any state), oldest first; all platforms when <paramref name="platform"/> is null.</summary>
    Task<IReadOnlyList<Incident>> ListWithFollowUpsAsync(string? platform, CancellationToken cancellationToken);

    /// <summary>
    /// Records a person's 1:1 conversation with the bot, replacing the one stored for the same platform, workspace and
    /// user unless that was seen later; false when nothing was written.
    /// </summary>
    Task<bool> RecordDirectConversationAsync(DirectConversation conversation, CancellationToken cancellationToken);

    /// <summary>The person's recorded 1:1 conversation with the bot, or null when none is known.</summary>
    Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the person's 1:1 conversation (the bot was removed from it) while the stored one is still
    /// <paramref name="conversationId"/> as recorded no later than <paramref name="recordedNoLaterThan"/>; false when it
    /// was not (another, or the same one seen again since: the person added the app again meanwhile).
    /// </summary>
    Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken);

    /// <summary>Creates a sandbox conversation; false (nothing written) when one with its id exists.</summary>
    Task<bool> CreateSandboxConversationAsync(SandboxConversation conversation, CancellationToken cancellationToken);

    /// <summary>Replaces a sandbox conversation's topic; false when there is no such conversation.</summary>
    Task<bool> SetSandboxTopicAsync(string conversationId, string topic, CancellationToken cancellationToken);

    /// <summary>Posts a message into a sandbox conversation with the next sequence number; returns it with its sequence and ref.</summary>
    Task<SandboxMessage> PostSandboxMessageAsync(string conversationId, string? recipientId, ChatMessage message, ChatFile? file, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Replaces a sandbox message in place (same ref, a new sequence number); null when there is no message of that ref.</summary>
    Task<SandboxMessage?> UpdateSandboxMessageAsync(string messageRef, ChatMessage message, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every sandbox conversation, oldest first.</summary>
    Task<IReadOnlyList<SandboxConversation>> ListSandboxConversationsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> messages of a conversation with a sequence above <paramref name="afterSequence"/>, in sequence order:
    /// the public ones and the private ones for <paramref name="viewerId"/> (none private when it is null).
    /// </summary>
    Task<IReadOnlyList<SandboxMessage>> ListSandboxMessagesAsync(string conversationId, long afterSequence, string? viewerId, int max, CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);
}
