using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Transfer;
using LiteDB;

namespace IncidentBot.Storage.LiteDb;

public sealed partial class LiteDbIncidentStore
{
    private const string ChannelArchives = "channel_archives";

    private static void PrepareChannelArchives(LiteDatabase db) =>
        db.GetCollection(ChannelArchives).EnsureIndex("closed_at", "$.closed_at");

    public Task<IReadOnlyList<DueChannelArchive>> ClaimDueChannelArchivesAsync(string platform, DateTimeOffset closedBefore, DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        _engine.WriteAsync<IReadOnlyList<DueChannelArchive>>(db =>
        {
            var archives = db.GetCollection(ChannelArchives);
            var due = archives.Find(Where.Lte("closed_at", closedBefore.UtcTicks))
                .Where(r => r["platform"].AsString == platform && !r["done"].AsBoolean && r["claimed_until"].AsInt64 <= now.UtcTicks)
                .OrderBy(r => r["closed_at"].AsInt64).Take(max);
            return Claim(archives, due, row => new DueChannelArchive(row["_id"].AsInt64, now + lease), "claimed_until", now + lease);
        }, cancellationToken);

    public Task CompleteChannelArchiveAsync(long incidentId, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var archives = db.GetCollection(ChannelArchives);
            if (archives.FindById(incidentId) is { } row)
            {
                row["done"] = true;
                archives.Update(row);
            }

            return true;
        }, cancellationToken);

    /// <summary>Records a closed incident for the archive schedule, in the change's transaction; once (a closed incident never reopens).</summary>
    private static void ScheduleChannelArchive(LiteDatabase db, Incident incident)
    {
        if (incident.State != IncidentState.Closed || incident.ClosedAt is not { } closedAt)
        {
            return;
        }

        var archives = db.GetCollection(ChannelArchives);
        if (archives.FindById(incident.Id) is null)
        {
            archives.Insert(ChannelArchiveDocument(new ChannelArchiveRow(incident.Id, incident.Platform, closedAt.UtcTicks, ClaimedUntil: 0, Done: false)));
        }
    }

    private static BsonDocument ChannelArchiveDocument(ChannelArchiveRow row) => new()
    {
        ["_id"] = row.IncidentId,
        ["platform"] = row.Platform,
        ["closed_at"] = row.ClosedAt,
        ["claimed_until"] = row.ClaimedUntil,
        ["done"] = row.Done,
    };

    private static ChannelArchiveRow ReadChannelArchive(BsonDocument d) =>
        new(d["_id"].AsInt64, d["platform"].AsString, d["closed_at"].AsInt64, d["claimed_until"].AsInt64, d["done"].AsBoolean);
}
