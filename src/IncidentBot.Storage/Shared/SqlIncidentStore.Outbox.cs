using System.Data.Common;
using System.Globalization;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Shared;

public abstract partial class SqlIncidentStore
{
    public async Task<IReadOnlyList<OutboxItem>> ClaimOutboxAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var items = new List<OutboxItem>();

        // Only the oldest unsent row of each order key may go: a later message to the same
        // conversation waits until the one before it was sent (or given up on).
        await using (var select = scope.Command($"""
            SELECT o.id, o.payload, o.attempts, o.created_at FROM outbox o
            WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= @now
              AND (o.lease_until IS NULL OR o.lease_until <= @now)
              AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.order_key = o.order_key AND p.id < o.id
                              AND p.sent_at IS NULL AND p.failed_at IS NULL)
            ORDER BY o.id
            LIMIT @max
            {ClaimLockClause}
            """))
        {
            Rows.Add(select, "now", Rows.Ticks(now));
            Rows.Add(select, "max", max);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new OutboxItem(reader.GetInt64(0), StoreJson.Message(reader.GetString(1)), reader.GetInt32(2), Rows.Instant(reader.GetInt64(3))));
            }
        }

        foreach (var item in items)
        {
            await ExecuteAsync(scope, "UPDATE outbox SET lease_until = @lease_until WHERE id = @id", cancellationToken,
                ("lease_until", Rows.Ticks(now + lease)), ("id", item.Id));
        }

        await scope.CommitAsync(cancellationToken);
        return items;
    }

    public async Task RenewLeasesAsync(IReadOnlyCollection<long> outboxIds, DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (outboxIds.Count == 0)
        {
            return;
        }

        await using var scope = await BeginWriteAsync(cancellationToken);
        foreach (var id in outboxIds)
        {
            await ExecuteAsync(scope, "UPDATE outbox SET lease_until = @lease_until WHERE id = @id AND sent_at IS NULL", cancellationToken,
                ("lease_until", Rows.Ticks(until)), ("id", id));
        }

        await scope.CommitAsync(cancellationToken);
    }

    public async Task MarkSentAsync(long outboxId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        await ExecuteAsync(scope, "UPDATE outbox SET sent_at = @now, attempts = attempts + 1, lease_until = NULL, last_error = NULL WHERE id = @id",
            cancellationToken, ("now", Rows.Ticks(now)), ("id", outboxId));
        await scope.CommitAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(long outboxId, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        await ExecuteAsync(scope, """
            UPDATE outbox SET attempts = attempts + 1, lease_until = NULL, last_error = @error,
                next_attempt_at = COALESCE(CAST(@next_attempt_at AS BIGINT), next_attempt_at),
                failed_at = CASE WHEN CAST(@next_attempt_at AS BIGINT) IS NULL THEN @now ELSE NULL END
            WHERE id = @id
            """, cancellationToken,
            ("error", error.Length > 2000 ? error[..2000] : error), ("next_attempt_at", Rows.Ticks(nextAttemptAt)), ("now", Rows.Ticks(now)), ("id", outboxId));
        await scope.CommitAsync(cancellationToken);
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<OutboxBacklog>> GetOutboxBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT platform, COUNT(*), MIN(created_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY platform ORDER BY platform";
        var backlog = new List<OutboxBacklog>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            backlog.Add(new OutboxBacklog(reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), Rows.Instant(reader.GetInt64(2))));
        }

        return backlog;
    }

    public Task<IReadOnlyList<DueReminder>> ClaimDueRemindersAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        // Moving the due instant past now is the claim: no other scheduler sees the row until the
        // lease runs out, and the nudge's own save sets the real next instant.
        ClaimAsync("SELECT incident_id, due_at FROM reminders WHERE due_at <= @now ORDER BY due_at LIMIT @max",
            reader => new DueReminder(reader.GetInt64(0), Rows.Instant(reader.GetInt64(1)), now + lease),
            reminder => ("UPDATE reminders SET due_at = @due_at WHERE incident_id = @incident_id",
                [("due_at", Rows.Ticks(now + lease)), ("incident_id", reminder.IncidentId)]),
            cancellationToken, ("now", Rows.Ticks(now)), ("max", max));

    /// <summary>
    /// Claims due rows for one replica: the rows <paramref name="query"/> selects are locked where the store can
    /// (<see cref="ClaimLockClause"/>), read by <paramref name="read"/>, and each marked as claimed by the statement
    /// <paramref name="mark"/> gives, all in one transaction.
    /// </summary>
    private async Task<IReadOnlyList<T>> ClaimAsync<T>(string query, Func<DbDataReader, T> read, Func<T, (string Sql, (string Name, object Value)[] Values)> mark,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var due = new List<T>();
        await using (var select = scope.Command($"{query} {ClaimLockClause}"))
        {
            foreach (var (name, value) in parameters)
            {
                Rows.Add(select, name, value);
            }

            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(read(reader));
            }
        }

        foreach (var row in due)
        {
            var (sql, values) = mark(row);
            await ExecuteAsync(scope, sql, cancellationToken, values);
        }

        await scope.CommitAsync(cancellationToken);
        return due;
    }
}
