using System.Data.Common;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Storage.Shared;

/// <summary>
/// The store in SQL both SQLite and PostgreSQL speak (RETURNING, ON CONFLICT, partial indexes);
/// the subclasses supply connections, write transactions and row locking.
/// </summary>
public abstract partial class SqlIncidentStore(TimeProvider clock) : IIncidentStore
{
    /// <summary>The clock that stamps outbox rows and inbound events.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>Opens a connection ready for use.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that will write; disposing the scope ends it and releases any process-local lock.</summary>
    protected abstract Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>Appended to claim queries: row locks where the database has them.</summary>
    protected virtual string ClaimLockClause => "";

    public async Task<(SaveResult Result, Incident? Incident)> CreateAsync(Incident draft, Func<Incident, IncidentChange> build, string? inboundEventId, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        if (inboundEventId is not null && !await InsertInboundAsync(scope, inboundEventId, Clock.GetUtcNow(), cancellationToken))
        {
            return (SaveResult.Duplicate, null);
        }

        var number = Convert.ToInt32(await ScalarAsync(scope, """
            INSERT INTO workspace_counters (platform, workspace_id, last_number) VALUES (@platform, @workspace_id, 1)
            ON CONFLICT (platform, workspace_id) DO UPDATE SET last_number = workspace_counters.last_number + 1
            RETURNING last_number
            """, cancellationToken, ("platform", draft.Platform), ("workspace_id", draft.WorkspaceId)), System.Globalization.CultureInfo.InvariantCulture);

        var numbered = draft with { Number = number };
        await using (var insert = scope.Command($"""
            INSERT INTO incidents ({Rows.IncidentColumns[4..]})
            VALUES ({Rows.IncidentValues})
            RETURNING id
            """))
        {
            Rows.BindIncident(insert, numbered);
            numbered = numbered with { Id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) };
        }

        var change = build(numbered) with { Incident = numbered };
        await WriteRestAsync(scope, change, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return (SaveResult.Saved, numbered);
    }

    public virtual async Task<SaveResult> SaveAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        if (WritesAloneInOneStatement(change))
        {
            // One statement is atomic by itself: committed as it ends, with no BEGIN or COMMIT to wait for.
            await using var alone = await BeginStatementAsync(cancellationToken);
            var saved = await SaveInOneStatementAsync(alone, change, cancellationToken);
            await alone.CommitAsync(cancellationToken);
            return saved;
        }

        await using var scope = await BeginWriteAsync(cancellationToken);
        var result = await SaveInScopeAsync(scope, change, cancellationToken);
        if (result == SaveResult.Saved)
        {
            await scope.CommitAsync(cancellationToken);
        }

        return result;
    }

    public virtual async Task<IReadOnlyList<SaveResult>> SaveBatchAsync(IReadOnlyList<IncidentChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        await using var scope = await BeginWriteAsync(cancellationToken);
        var results = new List<SaveResult>(changes.Count);
        foreach (var change in changes)
        {
            // The version check runs before any write of the change, so a conflict leaves nothing of it behind.
            results.Add(await SaveInScopeAsync(scope, change, cancellationToken));
        }

        await scope.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>The version-checked update of a change (bound by <see cref="Rows.BindIncidentChange"/>, <c>@id</c> and <c>@expected_version</c>).</summary>
    private const string UpdateIncident = """
            -- Identity columns never change and conversation_id / service_url belong to SetConversationAsync
            -- (a use case that read the incident before its channel existed must not wipe it out). Leaving
            -- indexed columns out of SET also spares SQLite rewriting their index entries on every change.
            UPDATE incidents SET title = @title,
                description = @description, severity = @severity, type = @type, state = @state, commander_id = @commander_id,
                commander_name = @commander_name, roles = @roles, acknowledged_at = @acknowledged_at, mitigated_at = @mitigated_at,
                resolved_at = @resolved_at, last_status_update_at = @last_status_update_at, version = @version,
                reviewed_at = @reviewed_at, reviewed_by_id = @reviewed_by_id, reviewed_by_name = @reviewed_by_name, closed_at = @closed_at,
                follow_ups = @follow_ups
            WHERE id = @id AND version = @expected_version
        """;

    private async Task<SaveResult> SaveInScopeAsync(WriteScope scope, IncidentChange change, CancellationToken cancellationToken)
    {
        var incident = change.Incident;
        if (change.ReminderClaim is { } claim && !await HoldsReminderClaimAsync(scope, incident.Id, claim, cancellationToken))
        {
            return SaveResult.Superseded;
        }

        if (change.InboundEventId is not null && !await InsertInboundAsync(scope, change.InboundEventId, Clock.GetUtcNow(), cancellationToken))
        {
            return SaveResult.Duplicate;
        }

        if (WritesChangeInOneStatement && IsPlain(change))
        {
            return await SaveInOneStatementAsync(scope, change, cancellationToken);
        }

        await using (var update = scope.Command(UpdateIncident))
        {
            Rows.BindIncidentChange(update, incident);
            Rows.Add(update, "id", incident.Id);
            Rows.Add(update, "expected_version", incident.Version - 1);
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return await ConflictAsync(scope, change, cancellationToken);
            }
        }

        await WriteRestAsync(scope, change, cancellationToken);
        return SaveResult.Saved;
    }

    /// <summary>A change lost the version check: its inbound id is freed (nothing of it was written), so a retry may record it.</summary>
    private static async Task<SaveResult> ConflictAsync(WriteScope scope, IncidentChange change, CancellationToken cancellationToken)
    {
        if (change.InboundEventId is not null)
        {
            await ExecuteAsync(scope, "DELETE FROM inbound_events WHERE event_id = @event_id", cancellationToken, ("event_id", change.InboundEventId));
        }

        return SaveResult.Conflict;
    }

    /// <summary>
    /// Whether the reminder row still carries the claim's mark. Anything that rescheduled it also changed the
    /// incident, so a reschedule committing after this read fails the version check that follows.
    /// </summary>
    private static async Task<bool> HoldsReminderClaimAsync(WriteScope scope, long incidentId, DateTimeOffset claim, CancellationToken cancellationToken)
    {
        await using var select = scope.Command("SELECT due_at FROM reminders WHERE incident_id = @incident_id");
        Rows.Add(select, "incident_id", incidentId);
        return await select.ExecuteScalarAsync(cancellationToken) is long due && due == Rows.Ticks(claim);
    }

    private async Task WriteRestAsync(WriteScope scope, IncidentChange change, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var incidentId = change.Incident.Id;
        foreach (var entry in change.Entries)
        {
            await InsertEntryAsync(scope, entry, incidentId, cancellationToken);
        }

        foreach (var entryId in change.RedactEntryIds)
        {
            await ExecuteAsync(scope, "UPDATE timeline SET redacted = 1 WHERE id = @id AND incident_id = @incident_id", cancellationToken, ("id", entryId), ("incident_id", incidentId));
        }

        await InsertMessagesAsync(scope, change.Messages, incidentId, now, cancellationToken);
        await ScheduleFollowUpNudgesAsync(scope, change.Incident, cancellationToken);
        await ScheduleChannelArchiveAsync(scope, change.Incident, cancellationToken);

        if (change.KeepsReminder)
        {
            return;
        }

        if (change.NextReminderAt is { } due)
        {
            await ExecuteAsync(scope, """
                INSERT INTO reminders (incident_id, due_at) VALUES (@incident_id, @due_at)
                ON CONFLICT (incident_id) DO UPDATE SET due_at = excluded.due_at
                """, cancellationToken, ("incident_id", incidentId), ("due_at", Rows.Ticks(due)));
        }
        else
        {
            await ExecuteAsync(scope, "DELETE FROM reminders WHERE incident_id = @incident_id", cancellationToken, ("incident_id", incidentId));
        }
    }

    /// <summary>All the messages of a change in one statement: fewer steps inside the transaction.</summary>
    private static async Task InsertMessagesAsync(WriteScope scope, IReadOnlyList<OutgoingMessage> messages, long? incidentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var values = string.Join(", ", Enumerable.Range(0, messages.Count).Select(i =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(@incident_id, @platform{i}, @order_key{i}, @payload{i}, @created_at, 0, 0)")));
        await using var insert = scope.Command($"INSERT INTO outbox (incident_id, platform, order_key, payload, created_at, attempts, next_attempt_at) VALUES {values}");
        Rows.Add(insert, "incident_id", incidentId is { } id ? id : DBNull.Value);
        Rows.Add(insert, "created_at", Rows.Ticks(now));
        for (var i = 0; i < messages.Count; i++)
        {
            var bound = incidentId is null ? messages[i] : messages[i] with { IncidentId = incidentId };
            Rows.BindMessageFields(insert, bound, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SaveResult> EnqueueAsync(IReadOnlyList<OutgoingMessage> messages, string? inboundEventId, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        if (inboundEventId is not null && !await InsertInboundAsync(scope, inboundEventId, Clock.GetUtcNow(), cancellationToken))
        {
            return SaveResult.Duplicate;
        }

        // Messages not about one incident (a welcome, a private answer) carry no incident id of their own.
        var incidentId = messages.Select(m => m.IncidentId).Distinct().ToList() is [{ } single] ? single : (long?)null;
        await InsertMessagesAsync(scope, messages, incidentId, Clock.GetUtcNow(), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return SaveResult.Saved;
    }

    private static async Task<bool> InsertEntryAsync(WriteScope scope, TimelineEntry entry, long incidentId, CancellationToken cancellationToken)
    {
        await using var insert = scope.Command($"""
            INSERT INTO timeline (incident_id, at, kind, actor_id, actor_name, text, source_ref, redacted)
            VALUES (@incident_id, @at, @kind, @actor_id, @actor_name, @text, @source_ref, 0)
            ON CONFLICT DO NOTHING
            """);
        Rows.BindEntry(insert, entry, incidentId);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<bool> InsertInboundAsync(WriteScope scope, string eventId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync(scope, "INSERT INTO inbound_events (event_id, received_at) VALUES (@event_id, @received_at) ON CONFLICT DO NOTHING",
            cancellationToken, ("event_id", eventId), ("received_at", Rows.Ticks(at))) == 1;

    public async Task<bool> AppendEntryAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var added = await InsertEntryAsync(scope, entry, entry.IncidentId, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<bool> TryRecordInboundAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var added = await InsertInboundAsync(scope, eventId, Clock.GetUtcNow(), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// A write transaction plus what guards it: a process-local lock, the connection when the scope owns
    /// it, and optionally a factory of prepared, reused commands.
    /// </summary>
    /// <param name="transaction">Null for one statement on its own, which the server commits as it ends.</param>
    protected sealed class WriteScope(string provider, DbConnection connection, DbTransaction? transaction, IDisposable? localLock, bool ownsConnection, Func<string, DbCommand>? commands = null) : IAsyncDisposable
    {
        private readonly long _started = StoreMetrics.Start();

        public DbConnection Connection { get; } = connection;

        public DbTransaction? Transaction { get; } = transaction;

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (Transaction is not null)
            {
                await Transaction.CommitAsync(cancellationToken);
            }

            StoreMetrics.Committed(provider, _started);
        }

        /// <summary>A command in this transaction; callers dispose it as usual.</summary>
        public DbCommand Command(string sql)
        {
            var command = commands?.Invoke(sql) ?? Connection.CreateCommand();
            command.Transaction = Transaction;
            command.CommandText = sql;
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (Transaction is not null)
                {
                    await Transaction.DisposeAsync();
                }

                if (ownsConnection)
                {
                    await Connection.DisposeAsync();
                }
            }
            finally
            {
                localLock?.Dispose();
            }
        }
    }
}
