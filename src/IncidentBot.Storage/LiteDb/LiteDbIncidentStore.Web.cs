using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>The web view's reads: a filtered, paged list and the incidents an insights range covers.</summary>
public sealed partial class LiteDbIncidentStore
{
    private const int Resolved = (int)IncidentState.Resolved;

    public Task<IncidentPage> SearchIncidentsAsync(IncidentSearch search, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db =>
        {
            // Filters and order read the document's own fields; only the page's incidents are built.
            var text = string.IsNullOrWhiteSpace(search.Text) ? null : search.Text.Trim();
            var matches = Documents(db, search.Platform, search.WorkspaceId)
                .Where(d => (search.State is not { } state || d["state"].AsInt32 == (int)state)
                    && (search.Severity is not { } severity || d["severity"].AsInt32 == (int)severity)
                    && (text is null || d["title"].AsString.Contains(text, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            var page = matches
                .OrderBy(d => d["state"].AsInt32 == Resolved ? 1 : 0)
                .ThenByDescending(d => d["declared_at"].AsInt64)
                .ThenByDescending(d => d["_id"].AsInt64)
                .Skip(Math.Max(0, search.Skip))
                .Take(Math.Clamp(search.Take, 0, IncidentSearch.MaxTake))
                .Select(ReadIncident)
                .ToList();
            return new IncidentPage(page, matches.Count);
        }, cancellationToken);

    public Task<IReadOnlyList<Incident>> ListDeclaredSinceAsync(DateTimeOffset since, string? platform, string? workspaceId, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<Incident>>(db => Documents(db, platform, workspaceId)
            .Where(d => d["declared_at"].AsInt64 >= since.UtcTicks)
            .Select(ReadIncident)
            .OrderBy(i => i.DeclaredAt).ThenBy(i => i.Id)
            .ToList(), cancellationToken);

    /// <summary>The incidents of one workspace by index, else every incident filtered by whichever of platform and workspace is given.</summary>
    private static IEnumerable<BsonDocument> Documents(LiteDatabase db, string? platform, string? workspaceId)
    {
        var incidents = db.GetCollection(Incidents);
        return platform is not null && workspaceId is not null
            ? incidents.Find(Query.EQ("workspace_key", Key(platform, workspaceId)))
            : incidents.FindAll().Where(d => (platform is null || d["platform"].AsString == platform) && (workspaceId is null || d["workspace_id"].AsString == workspaceId));
    }
}
