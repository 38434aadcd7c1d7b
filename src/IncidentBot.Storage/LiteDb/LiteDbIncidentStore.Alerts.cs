using IncidentBot.Core.Incidents;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>Finding an alert group's incident by its opening entry's source reference (index <c>source_ref_key</c>: the reference, hashed when longer than an index key may be).</summary>
public sealed partial class LiteDbIncidentStore
{
    public Task<Incident?> FindBySourceRefAsync(string sourceRef, CancellationToken cancellationToken) =>
        _engine.ReadAsync(
            db =>
            {
                var newest = db.GetCollection(Timeline).Find(Where.Eq("source_ref_key", Key(sourceRef))).Select(e => e["incident_id"].AsInt64).DefaultIfEmpty(0).Max();
                return newest > 0 && db.GetCollection(Incidents).FindById(newest) is { } doc ? ReadIncident(doc) : null;
            },
            cancellationToken);
}
