using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

public sealed partial class LiteDbIncidentStore
{
    private const string FollowUpNudges = "follow_up_nudges";

    private static void PrepareFollowUpNudges(LiteDatabase db)
    {
        db.GetCollection(FollowUpNudges).EnsureIndex("due_at", "$.due_at");
        db.GetCollection(FollowUpNudges).EnsureIndex("incident_id", "$.incident_id");
    }

    public Task<IReadOnlyList<DueFollowUpNudge>> ClaimDueFollowUpNudgesAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        _engine.WriteAsync<IReadOnlyList<DueFollowUpNudge>>(db =>
        {
            // As with reminders, moving the instant past now is the claim; the nudge's save writes the next one.
            var nudges = db.GetCollection(FollowUpNudges);
            return Claim(nudges, nudges.Find(Where.Lte("due_at", now.UtcTicks)).OrderBy(r => r["due_at"].AsInt64).Take(max),
                row => new DueFollowUpNudge(row["incident_id"].AsInt64, row["number"].AsInt32, now + lease), "due_at", now + lease);
        }, cancellationToken);

    /// <summary>Rewrites the incident's nudge schedule from its follow-ups, in the change's transaction; most incidents have none.</summary>
    private static void ScheduleFollowUpNudges(LiteDatabase db, Incident incident)
    {
        if (incident.FollowUps.IsEmpty)
        {
            return;
        }

        var nudges = db.GetCollection(FollowUpNudges);
        nudges.DeleteMany(Where.Eq("incident_id", incident.Id));
        foreach (var followUp in incident.FollowUps)
        {
            if (followUp.NextNudgeAt() is { } at)
            {
                nudges.Insert(new BsonDocument
                {
                    ["_id"] = Key(incident.Id, followUp.Number),
                    ["incident_id"] = incident.Id,
                    ["number"] = followUp.Number,
                    ["due_at"] = at.UtcTicks,
                });
            }
        }
    }

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

    public Task<IReadOnlyList<Incident>> ListWithFollowUpsAsync(string? platform, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<Incident>>(db => db.GetCollection(Incidents).FindAll()
            .Where(d => d["follow_ups"] is { IsString: true } followUps && followUps.AsString != "[]" && (platform is null || d["platform"].AsString == platform))
            .Select(ReadIncident)
            .OrderBy(i => i.Id)
            .ToList(), cancellationToken);
}
