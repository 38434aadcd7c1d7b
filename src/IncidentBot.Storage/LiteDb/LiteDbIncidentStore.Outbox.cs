using IncidentBot.Core.Ports;
using IncidentBot.Storage.Shared;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

public sealed partial class LiteDbIncidentStore
{
    private const int MaxErrorLength = 2000;

    public Task<IReadOnlyList<OutboxItem>> ClaimOutboxAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        _engine.WriteAsync<IReadOnlyList<OutboxItem>>(db =>
        {
            var outbox = db.GetCollection(Outbox);
            var items = new List<OutboxItem>();

            // The pending index lists the queue by id, so the first row seen of each order key is its oldest
            // unsent one: only that row may go, and a later message to the same conversation waits for it.
            var heads = new HashSet<string>(StringComparer.Ordinal);
            var claimed = new List<BsonDocument>();
            foreach (var row in outbox.Find(Where.Gt("pending", 0L)).OrderBy(r => r["_id"].AsInt64).ToList())
            {
                if (claimed.Count == max)
                {
                    break;
                }

                if (heads.Add(row["order_key"].AsString) && row["next_attempt_at"].AsInt64 <= now.UtcTicks
                    && (row["lease_until"].IsNull || row["lease_until"].AsInt64 <= now.UtcTicks))
                {
                    claimed.Add(row);
                }
            }

            foreach (var row in claimed)
            {
                row["lease_until"] = (now + lease).UtcTicks;
                outbox.Update(row);
                items.Add(new OutboxItem(row["_id"].AsInt64, StoreJson.Message(row["payload"].AsString), row["attempts"].AsInt32, Instant(row["created_at"])));
            }

            return items;
        }, cancellationToken);

    public Task RenewLeasesAsync(IReadOnlyCollection<long> outboxIds, DateTimeOffset until, CancellationToken cancellationToken) =>
        outboxIds.Count == 0
            ? Task.CompletedTask
            : _engine.WriteAsync(db =>
            {
                var outbox = db.GetCollection(Outbox);
                foreach (var id in outboxIds)
                {
                    if (outbox.FindById(id) is { } row && row["sent_at"].IsNull)
                    {
                        row["lease_until"] = until.UtcTicks;
                        outbox.Update(row);
                    }
                }

                return true;
            }, cancellationToken);

    public Task MarkSentAsync(long outboxId, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateOutboxAsync(outboxId, row =>
        {
            row["sent_at"] = now.UtcTicks;
            row["last_error"] = BsonValue.Null;
        }, cancellationToken);

    public Task MarkFailedAsync(long outboxId, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        return UpdateOutboxAsync(outboxId, row =>
        {
            row["last_error"] = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
            if (nextAttemptAt is { } next)
            {
                row["next_attempt_at"] = next.UtcTicks;
                row["failed_at"] = BsonValue.Null;
            }
            else
            {
                row["failed_at"] = now.UtcTicks;
            }
        }, cancellationToken);
    }

    /// <summary>An attempt ended: counts it, drops the lease, and keeps the row in the queue only while it is neither sent nor given up.</summary>
    private Task<bool> UpdateOutboxAsync(long outboxId, Action<BsonDocument> change, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var outbox = db.GetCollection(Outbox);
            if (outbox.FindById(outboxId) is not { } row)
            {
                return false;
            }

            change(row);
            row["attempts"] = row["attempts"].AsInt32 + 1;
            row["lease_until"] = BsonValue.Null;
            row["pending"] = row["sent_at"].IsNull && row["failed_at"].IsNull ? new BsonValue(outboxId) : BsonValue.Null;
            return outbox.Update(row);
        }, cancellationToken);

    public Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => db.GetCollection(Outbox).Count(Where.Gt("pending", 0L)), cancellationToken);

    public Task<IReadOnlyList<OutboxBacklog>> GetOutboxBacklogAsync(CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<OutboxBacklog>>(db => db.GetCollection(Outbox)
            .Find(Where.Gt("pending", 0L))
            .GroupBy(r => r["platform"].AsString, StringComparer.Ordinal)
            .Select(g => new OutboxBacklog(g.Key, g.Count(), Instant(g.Min(r => r["created_at"].AsInt64))))
            .OrderBy(b => b.Platform, StringComparer.Ordinal)
            .ToList(), cancellationToken);

    public Task<IReadOnlyList<DueReminder>> ClaimDueRemindersAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        _engine.WriteAsync<IReadOnlyList<DueReminder>>(db =>
        {
            // Moving the due instant past now is the claim (as in the SQL stores): the nudge's own save sets the real next one.
            var reminders = db.GetCollection(Reminders);
            return Claim(reminders, reminders.Find(Where.Lte("due_at", now.UtcTicks)).OrderBy(r => r["due_at"].AsInt64).Take(max),
                row => new DueReminder(row["_id"].AsInt64, Instant(row["due_at"]), now + lease), "due_at", now + lease);
        }, cancellationToken);

    /// <summary>
    /// Claims the <paramref name="due"/> rows of <paramref name="rows"/>: each is read by <paramref name="claim"/>, then
    /// its <paramref name="field"/> set to <paramref name="until"/>, which keeps other claims off it until then.
    /// </summary>
    private static List<T> Claim<T>(ILiteCollection<BsonDocument> rows, IEnumerable<BsonDocument> due, Func<BsonDocument, T> claim, string field, DateTimeOffset until)
    {
        var claims = new List<T>();
        foreach (var row in due.ToList())
        {
            claims.Add(claim(row));
            row[field] = until.UtcTicks;
            rows.Update(row);
        }

        return claims;
    }
}
