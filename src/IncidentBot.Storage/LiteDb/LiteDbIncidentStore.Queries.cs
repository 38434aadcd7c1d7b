using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

public sealed partial class LiteDbIncidentStore
{
    public Task<Incident?> GetAsync(long id, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => db.GetCollection(Incidents).FindById(id) is { } doc ? ReadIncident(doc) : null, cancellationToken);

    public Task<Incident?> GetByNumberAsync(string platform, string workspaceId, int number, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => db.GetCollection(Incidents).FindOne(Where.Eq("number_key", Key(platform, workspaceId, number))) is { } doc ? ReadIncident(doc) : null,
            cancellationToken);

    public Task<Incident?> FindByConversationAsync(string platform, string conversationId, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => db.GetCollection(Incidents).Find(Where.Eq("conversation_key", Key(platform, conversationId)))
            .Select(ReadIncident).MaxBy(i => i.Id), cancellationToken);

    public Task<IReadOnlyList<Incident>> FindByNumberAsync(int number, string? platform, string? workspaceId, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<Incident>>(db =>
        {
            var incidents = db.GetCollection(Incidents);
            if (platform is not null && workspaceId is not null)
            {
                return incidents.FindOne(Where.Eq("number_key", Key(platform, workspaceId, number))) is { } doc ? [ReadIncident(doc)] : [];
            }

            return incidents.Find(Where.Eq("number", number)).Select(ReadIncident)
                .Where(i => (platform is null || i.Platform == platform) && (workspaceId is null || i.WorkspaceId == workspaceId))
                .OrderBy(i => i.Id).Take(2).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<OpenIncidentCount>> CountOpenIncidentsAsync(CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<OpenIncidentCount>>(db => db.GetCollection(Incidents)
            .Find(Where.Lt("state", (int)IncidentState.Resolved))
            .Select(d => (Severity: (Severity)d["severity"].AsInt32, State: (IncidentState)d["state"].AsInt32))
            .GroupBy(k => k)
            .Select(g => new OpenIncidentCount(g.Key.Severity, g.Key.State, g.Count()))
            .OrderBy(c => c.Severity).ThenBy(c => c.State)
            .ToList(), cancellationToken);

    public Task<IReadOnlyList<Incident>> ListAsync(string? platform, string? workspaceId, bool openOnly, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<Incident>>(db =>
        {
            var incidents = db.GetCollection(Incidents);
            var documents = platform is not null && workspaceId is not null
                ? incidents.Find(Where.Eq("workspace_key", Key(platform, workspaceId)))
                : incidents.FindAll();
            return documents.Select(ReadIncident)
                .Where(i => (platform is null || i.Platform == platform) && (workspaceId is null || i.WorkspaceId == workspaceId) && (!openOnly || i.IsOpen))
                .OrderByDescending(i => i.DeclaredAt).ThenByDescending(i => i.Id)
                .ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<TimelineEntry>>(db => db.GetCollection(Timeline)
            .Find(TimelineOf(incidentId))
            .Select(ReadEntry).OrderBy(e => e.At).ThenBy(e => e.Id).ToList(), cancellationToken);

    public Task<IReadOnlyList<TimelineEntry>> GetRecentTimelineAsync(long incidentId, int count, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<TimelineEntry>>(db =>
        {
            // The order index read from its end: the latest entries, however long the timeline.
            var newestFirst = db.GetCollection(Timeline).Query()
                .Where(TimelineOf(incidentId))
                .Where(Where.Eq("redacted", false))
                .OrderByDescending("$.order")
                .Limit(count)
                .ToList();
            return newestFirst.Select(ReadEntry).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        }, cancellationToken);

    public Task<TimelineEntry?> GetTimelineEntryAsync(long incidentId, long entryId, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => db.GetCollection(Timeline).FindById(entryId) is { } doc && doc["incident_id"].AsInt64 == incidentId ? ReadEntry(doc) : null,
            cancellationToken);

    public Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => db.GetCollection(Anchors).FindById(Key(incidentId, anchor))?["message_ref"].AsString, cancellationToken);

    public Task<bool> WasInboundProcessedAsync(string eventId, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => InboundSeen(db, eventId), cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _engine.ReadAsync(db => db.GetCollection(Sequences).Count() >= 0, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A file LiteDB cannot open, a closed store: not ready, whatever LiteDB threw.
            return false;
        }
    }
}
