using IncidentBot.Core.Incidents;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>Finding an alert group's incident by its opening entry's source reference (the range of its keys in <c>timeline_sources</c>).</summary>
public sealed partial class LiteDbIncidentStore
{
    public Task<Incident?> FindBySourceRefAsync(string sourceRef, CancellationToken cancellationToken) =>
        _engine.ReadAsync(
            db =>
            {
                var newest = db.GetCollection(TimelineSources).Find(SourcesOf(sourceRef))
                    .Where(s => s["source_ref"].AsString == sourceRef)
                    .Select(s => s["incident_id"].AsInt64).DefaultIfEmpty(0).Max();
                return newest > 0 && db.GetCollection(Incidents).FindById(newest) is { } doc ? ReadIncident(doc) : null;
            },
            cancellationToken);
}
