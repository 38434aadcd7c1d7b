using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

public sealed partial class LiteDbIncidentStore
{
    public Task<int> NextFollowUpNumberAsync(string platform, string workspaceId, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var counters = db.GetCollection(Counters);
            var counter = counters.FindById(Key(platform, workspaceId))
                ?? throw new InvalidOperationException($"Workspace {platform}/{workspaceId} has no incident, so no follow-up either.");
            var number = LastFollowUp(counter) + 1;
            counter["last_follow_up"] = number;
            counters.Update(counter);
            return number;
        }, cancellationToken);

    /// <summary>The workspace's last follow-up number; counters written before follow-ups existed have none yet.</summary>
    private static int LastFollowUp(BsonDocument counter) => counter["last_follow_up"].IsNull ? 0 : counter["last_follow_up"].AsInt32;
}
