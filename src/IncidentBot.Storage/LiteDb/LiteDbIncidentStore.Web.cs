using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// The web view's reads: a filtered, paged list and the incidents an insights range covers. The list reads the open
/// incidents (states before Resolved) by the state index and the resolved ones newest first along the declared_at index,
/// so an unfiltered page reads about as many documents as it shows, not the whole collection.
/// </summary>
public sealed partial class LiteDbIncidentStore
{
    private const int Resolved = (int)IncidentState.Resolved;

    private static void PrepareWeb(LiteDatabase db)
    {
        db.GetCollection(Incidents).EnsureIndex("declared_at", "$.declared_at");
        db.GetCollection(Incidents).EnsureIndex("state", "$.state");
    }

    public Task<IncidentPage> SearchIncidentsAsync(IncidentSearch search, CancellationToken cancellationToken) =>
        _engine.ReadAsync(db =>
        {
            var incidents = db.GetCollection(Incidents);
            var matches = Matcher(search);
            var skip = Math.Max(0, search.Skip);
            var take = Math.Clamp(search.Take, 0, IncidentSearch.MaxTake);

            // Open incidents are few: all of them, newest first.
            var open = search.State == IncidentState.Resolved
                ? []
                : incidents.Find(Where.Lt("state", Resolved)).Where(matches)
                    .OrderByDescending(d => d["declared_at"].AsInt64).ThenByDescending(d => d["_id"].AsInt64).ToList();
            var page = open.Skip(skip).Take(take).ToList();

            var resolvedCount = 0;
            if (search.State is null or IncidentState.Resolved)
            {
                var resolvedSkip = Math.Max(0, skip - open.Count);
                if (IsOnlyByState(search))
                {
                    // Read along the declared_at index only as far as the page goes. Counting with a predicate loads
                    // every matching document; the collection's count less the few open ones does not.
                    page.AddRange(incidents.Query().OrderByDescending("declared_at").ToEnumerable()
                        .Where(d => d["state"].AsInt32 == Resolved).Skip(resolvedSkip).Take(take - page.Count));
                    resolvedCount = incidents.Count() - incidents.Count(Where.Lt("state", Resolved));
                }
                else
                {
                    // A filter reads every document anyway: in file order, which is faster than along an index.
                    var all = incidents.FindAll().Where(d => d["state"].AsInt32 == Resolved && matches(d))
                        .OrderByDescending(d => d["declared_at"].AsInt64).ThenByDescending(d => d["_id"].AsInt64).ToList();
                    page.AddRange(all.Skip(resolvedSkip).Take(take - page.Count));
                    resolvedCount = all.Count;
                }
            }

            return new IncidentPage(page.Select(ReadIncident).ToList(), open.Count + resolvedCount);
        }, cancellationToken);

    public Task<IReadOnlyList<Incident>> ListDeclaredSinceAsync(DateTimeOffset since, string? platform, string? workspaceId, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<Incident>>(db => db.GetCollection(Incidents)
            .Find(Where.Gte("declared_at", since.UtcTicks))
            .Where(d => (platform is null || d["platform"].AsString == platform) && (workspaceId is null || d["workspace_id"].AsString == workspaceId))
            .Select(ReadIncident)
            .OrderBy(i => i.DeclaredAt).ThenBy(i => i.Id)
            .ToList(), cancellationToken);

    /// <summary>The search's filters other than the state, read from the document's own fields.</summary>
    private static Func<BsonDocument, bool> Matcher(IncidentSearch search)
    {
        var text = string.IsNullOrWhiteSpace(search.Text) ? null : search.Text.Trim();
        return d => (search.State is not { } state || d["state"].AsInt32 == (int)state)
            && (search.Severity is not { } severity || d["severity"].AsInt32 == (int)severity)
            && (search.Platform is null || d["platform"].AsString == search.Platform)
            && (search.WorkspaceId is null || d["workspace_id"].AsString == search.WorkspaceId)
            && (text is null || d["title"].AsString.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>No filter but perhaps the state: the resolved incidents are then counted by the state index alone.</summary>
    private static bool IsOnlyByState(IncidentSearch search) =>
        search.Severity is null && search.Platform is null && search.WorkspaceId is null && string.IsNullOrWhiteSpace(search.Text);
}
