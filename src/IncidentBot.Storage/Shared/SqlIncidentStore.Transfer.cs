using System.Data.Common;
using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Storage.Shared;

public abstract partial class SqlIncidentStore : IStoreTransfer
{
    private const string OutboxColumns = "id, incident_id, platform, order_key, payload, created_at, attempts, next_attempt_at, lease_until, sent_at, failed_at, last_error";

    /// <summary>Written between the column list and VALUES of an insert that brings its own ids (PostgreSQL's identity columns need it).</summary>
    protected virtual string OwnIdsClause => "";

    /// <summary>Runs after an import inside its transaction: PostgreSQL moves its identity sequences past the imported ids.</summary>
    protected virtual Task AfterImportAsync(WriteScope scope, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task BackupAsync(string path, CancellationToken cancellationToken);

    public async Task<StoreSnapshot> ExportAsync(CancellationToken cancellationToken)
    {
        // One transaction, so the tables agree with one another.
        await using var scope = await BeginWriteAsync(cancellationToken);
        var snapshot = new StoreSnapshot
        {
            Counters = await ReadAllAsync(scope, "SELECT platform, workspace_id, last_number, last_follow_up FROM workspace_counters ORDER BY platform, workspace_id",
                r => new WorkspaceCounter(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3)), cancellationToken),
            Incidents = await ReadAllAsync(scope, $"SELECT {Rows.IncidentColumns} FROM incidents ORDER BY id", Rows.ReadIncident, cancellationToken),
            Timeline = await ReadAllAsync(scope, $"SELECT {Rows.TimelineColumns} FROM timeline ORDER BY id", Rows.ReadEntry, cancellationToken),
            Outbox = await ReadAllAsync(scope, $"SELECT {OutboxColumns} FROM outbox ORDER BY id", r => new OutboxRow(
                r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetInt32(6), r.GetInt64(7),
                r.IsDBNull(8) ? null : r.GetInt64(8), r.IsDBNull(9) ? null : r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10), r.IsDBNull(11) ? null : r.GetString(11)),
                cancellationToken),
            Inbound = await ReadAllAsync(scope, "SELECT event_id, received_at FROM inbound_events ORDER BY received_at, event_id",
                r => new InboundEvent(r.GetString(0), r.GetInt64(1)), cancellationToken),
            Reminders = await ReadAllAsync(scope, "SELECT incident_id, due_at FROM reminders ORDER BY incident_id", r => new ReminderRow(r.GetInt64(0), r.GetInt64(1)), cancellationToken),
            Anchors = await ReadAllAsync(scope, "SELECT incident_id, anchor, message_ref FROM anchors ORDER BY incident_id, anchor",
                r => new AnchorRow(r.GetInt64(0), r.GetString(1), r.GetString(2)), cancellationToken),
            DirectConversations = StoreSnapshot.InKeyOrder(await ReadAllAsync(scope, $"SELECT {DirectConversationColumns} FROM direct_conversations", ReadDirectConversation, cancellationToken)),
            ChannelArchives = await ReadAllAsync(scope, $"SELECT {ChannelArchiveColumns} FROM channel_archives ORDER BY incident_id", ReadChannelArchive, cancellationToken),
            SandboxConversations = StoreSnapshot.InIdOrder(await ReadAllAsync(scope, $"SELECT {SandboxConversationColumns} FROM sandbox_conversations", ReadSandboxConversation, cancellationToken)),
            SandboxMessages = await ReadAllAsync(scope, $"SELECT {SandboxMessageColumns} FROM sandbox_messages ORDER BY seq", ReadSandboxMessageRow, cancellationToken),
            SandboxSequence = Convert.ToInt64(await ScalarAsync(scope, "SELECT last_seq FROM sandbox_sequence WHERE id = 1", cancellationToken), CultureInfo.InvariantCulture),
        };
        await scope.CommitAsync(cancellationToken);
        return snapshot;
    }

    public async Task ImportAsync(StoreSnapshot snapshot, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var rows = Convert.ToInt64(await ScalarAsync(scope, """
            SELECT (SELECT COUNT(*) FROM workspace_counters) + (SELECT COUNT(*) FROM incidents) + (SELECT COUNT(*) FROM timeline)
                 + (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM inbound_events) + (SELECT COUNT(*) FROM reminders) + (SELECT COUNT(*) FROM anchors)
                 + (SELECT COUNT(*) FROM direct_conversations) + (SELECT COUNT(*) FROM channel_archives)
                 + (SELECT COUNT(*) FROM sandbox_conversations) + (SELECT COUNT(*) FROM sandbox_messages)
            """, cancellationToken), CultureInfo.InvariantCulture);
        if (rows > 0)
        {
            throw new StoreNotEmptyException($"The target store holds {rows} rows already: migrate-store copies into an empty store only.");
        }

        foreach (var counter in snapshot.Counters)
        {
            await ExecuteAsync(scope, "INSERT INTO workspace_counters (platform, workspace_id, last_number, last_follow_up) VALUES (@platform, @workspace_id, @last_number, @last_follow_up)",
                cancellationToken, ("platform", counter.Platform), ("workspace_id", counter.WorkspaceId), ("last_number", counter.LastNumber), ("last_follow_up", counter.LastFollowUp));
        }

        foreach (var incident in snapshot.Incidents)
        {
            await InsertIncidentAsync(scope, incident, cancellationToken);

            // The nudge schedule is kept from the follow-ups, so the copy rebuilds it rather than carrying it.
            await ScheduleFollowUpNudgesAsync(scope, incident, cancellationToken);
        }

        foreach (var entry in snapshot.Timeline)
        {
            await using var insert = scope.Command($"""
                INSERT INTO timeline (id, incident_id, at, kind, actor_id, actor_name, text, source_ref, redacted) {OwnIdsClause}
                VALUES (@id, @incident_id, @at, @kind, @actor_id, @actor_name, @text, @source_ref, @redacted)
                """);
            Rows.BindEntry(insert, entry, entry.IncidentId);
            Rows.Add(insert, "id", entry.Id);
            Rows.Add(insert, "redacted", entry.Redacted ? 1 : 0);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var row in snapshot.Outbox)
        {
            await ExecuteAsync(scope, $"""
                INSERT INTO outbox ({OutboxColumns}) {OwnIdsClause}
                VALUES (@id, @incident_id, @platform, @order_key, @payload, @created_at, @attempts, @next_attempt_at, @lease_until, @sent_at, @failed_at, @last_error)
                """, cancellationToken,
                ("id", row.Id), ("incident_id", row.IncidentId is { } id ? id : DBNull.Value), ("platform", row.Platform), ("order_key", row.OrderKey), ("payload", row.Payload),
                ("created_at", row.CreatedAt), ("attempts", row.Attempts), ("next_attempt_at", row.NextAttemptAt), ("lease_until", Nullable(row.LeaseUntil)),
                ("sent_at", Nullable(row.SentAt)), ("failed_at", Nullable(row.FailedAt)), ("last_error", Rows.Nullable(row.LastError)));
        }

        foreach (var inbound in snapshot.Inbound)
        {
            await ExecuteAsync(scope, "INSERT INTO inbound_events (event_id, received_at) VALUES (@event_id, @received_at)", cancellationToken,
                ("event_id", inbound.EventId), ("received_at", inbound.ReceivedAt));
        }

        foreach (var reminder in snapshot.Reminders)
        {
            await ExecuteAsync(scope, "INSERT INTO reminders (incident_id, due_at) VALUES (@incident_id, @due_at)", cancellationToken,
                ("incident_id", reminder.IncidentId), ("due_at", reminder.DueAt));
        }

        foreach (var anchor in snapshot.Anchors)
        {
            await ExecuteAsync(scope, "INSERT INTO anchors (incident_id, anchor, message_ref) VALUES (@incident_id, @anchor, @message_ref)", cancellationToken,
                ("incident_id", anchor.IncidentId), ("anchor", anchor.Anchor), ("message_ref", anchor.MessageRef));
        }

        foreach (var conversation in snapshot.DirectConversations)
        {
            await ExecuteAsync(scope, InsertDirectConversation, cancellationToken, DirectConversationValues(conversation));
        }

        // Carried with their claims and done marks: rebuilt from the incidents, a channel archived already would be archived again.
        foreach (var archive in snapshot.ChannelArchives)
        {
            await ExecuteAsync(scope, InsertChannelArchive, cancellationToken, ChannelArchiveValues(archive));
        }

        foreach (var conversation in snapshot.SandboxConversations)
        {
            await ExecuteAsync(scope, InsertSandboxConversation, cancellationToken, SandboxConversationValues(conversation));
        }

        foreach (var message in snapshot.SandboxMessages)
        {
            await ExecuteAsync(scope, InsertSandboxMessage, cancellationToken, SandboxMessageValues(message));
        }

        await ExecuteAsync(scope, "UPDATE sandbox_sequence SET last_seq = @last_seq WHERE id = 1", cancellationToken, ("last_seq", snapshot.LastSandboxSequence()));

        await AfterImportAsync(scope, cancellationToken);
        await scope.CommitAsync(cancellationToken);
    }

    private async Task InsertIncidentAsync(WriteScope scope, Incident incident, CancellationToken cancellationToken)
    {
        await using var insert = scope.Command($"""
            INSERT INTO incidents ({Rows.IncidentColumns}) {OwnIdsClause}
            VALUES (@id, {Rows.IncidentValues})
            """);
        Rows.Add(insert, "id", incident.Id);
        Rows.BindIncident(insert, incident);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object Nullable(long? value) => value is { } v ? v : DBNull.Value;

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(WriteScope scope, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = scope.Command(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }
}
