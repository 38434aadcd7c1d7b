using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Web;

/// <summary>
/// The insights of a range, computed once per <see cref="MaxAge"/> and shared: building them reads every incident of
/// the range, which a page view must not repeat twenty times a second. A stale report is served while one request
/// builds its successor, so only the first view of a range ever waits for the store.
/// </summary>
internal sealed class InsightsCache(IIncidentStore store, TimeProvider clock)
{
    /// <summary>How old the numbers on the insights page may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Ranges kept at most: the key holds the reader's platform and workspace, which the reader chooses.</summary>
    public const int MaxEntries = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<(int Days, string? Platform, string? Workspace, bool Drills), Entry> _entries = [];

    /// <summary>The report of a range without drills.</summary>
    public Task<InsightsReport> GetAsync(int days, string? platform, string? workspace, CancellationToken cancellationToken) =>
        GetAsync(days, platform, workspace, drills: false, cancellationToken);

    /// <summary>The report of a range; drills are left out unless <paramref name="drills"/> asks for them.</summary>
    public Task<InsightsReport> GetAsync(int days, string? platform, string? workspace, bool drills, CancellationToken cancellationToken)
    {
        var key = (days, platform, workspace, drills);
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            _entries.TryGetValue(key, out var entry);
            if (entry is not null && entry.Building.IsCompletedSuccessfully && now - entry.StartedAt < MaxAge)
            {
                return entry.Building;
            }

            if (entry is not null && !entry.Building.IsCompleted)
            {
                return entry.Latest is { } meanwhile ? Task.FromResult(meanwhile) : entry.Building.WaitAsync(cancellationToken);
            }

            // None yet, stale, or failed: build anew, and serve the last good report until it is done.
            var latest = entry?.Building.IsCompletedSuccessfully == true ? entry.Building.Result : entry?.Latest;
            // Started outside the lock: nothing of the store's read runs while other readers wait for it.
            var building = Task.Run(() => BuildAsync(days, platform, workspace, drills, now));
            if (_entries.Count >= MaxEntries)
            {
                foreach (var old in _entries.Where(e => e.Value.Building.IsCompleted).Select(e => e.Key).ToList())
                {
                    _entries.Remove(old);
                }
            }

            _entries[key] = new Entry(now, building, latest);
            return latest is not null ? Task.FromResult(latest) : building.WaitAsync(cancellationToken);
        }
    }

    private async Task<InsightsReport> BuildAsync(int days, string? platform, string? workspace, bool drills, DateTimeOffset now)
    {
        // Not the request's token: the report is shared, and a reader who leaves must not spoil it for the others.
        var incidents = await store.ListDeclaredSinceAsync(now.AddDays(-days), platform, workspace, CancellationToken.None);
        return InsightsReport.Build(drills ? incidents : incidents.Where(i => !i.IsDrill).ToList(), now, days);
    }

    /// <summary>A report being built since <paramref name="StartedAt"/>, and the one before it to serve meanwhile.</summary>
    private sealed record Entry(DateTimeOffset StartedAt, Task<InsightsReport> Building, InsightsReport? Latest);
}
