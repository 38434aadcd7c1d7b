using BenchmarkDotNet.Attributes;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Benchmarks;

/// <summary>
/// Follow-ups at scale on each embedded store: the postmortem export of an incident with 10,000 timeline entries and
/// 500 follow-ups (target at most 50 ms), and the nudge tick with 10,000 open follow-ups and none due (target at most 1 ms).
/// </summary>
[MemoryDiagnoser]
public class FollowUpBenchmarks
{
    private static readonly Person Ada = new("U1", "Ada");
    private string _folder = "";
    private FixedClock _clock = null!;
    private IIncidentStore _store = null!;
    private IncidentService _service = null!;
    private Incident _exported = null!;

    [Params(StoreProviders.Sqlite, StoreProviders.LiteDb)]
    public string Store { get; set; } = StoreProviders.Sqlite;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _clock = new FixedClock(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        _store = StoreProviders.Create(Store, Store == StoreProviders.Sqlite ? $"Data Source={Path.Combine(_folder, "bot.db")}" : $"Filename={Path.Combine(_folder, "bot.litedb")}", _clock);
        StoreProviders.MigrateAsync(_store, CancellationToken.None).GetAwaiter().GetResult();
        _service = new IncidentService(_store, _clock, ReminderPolicy.Default, []);

        // 20 incidents of 500 open, owned follow-ups due a month out: 10,000 rows in the nudge schedule, none due.
        for (var i = 0; i < 20; i++)
        {
            var incident = Declare($"Incident {i}");
            var followUps = Enumerable.Range(0, 500).Select(n => FollowUp(_store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None).GetAwaiter().GetResult(), n)).ToList();
            _store.SaveAsync(IncidentChange.KeepingReminder(incident.NextVersion() with { FollowUps = [.. followUps] }), CancellationToken.None).GetAwaiter().GetResult();
            _exported = incident;
        }

        var entries = Enumerable.Range(0, 9_999).Select(i => new TimelineEntry
        {
            At = _clock.Now.AddSeconds(i),
            Kind = i % 10 == 0 ? TimelineKind.StatusUpdate : TimelineKind.Note,
            Actor = new Person($"U{i % 40}", $"Responder {i % 40}"),
            Text = $"Entry {i}: observed `p99` at {i % 700} ms | retried\nnext step",
        }).ToList();
        foreach (var chunk in entries.Chunk(1000))
        {
            var current = _store.GetAsync(_exported.Id, CancellationToken.None).GetAwaiter().GetResult()!;
            _store.SaveAsync(IncidentChange.KeepingReminder(current.NextVersion()) with { Entries = chunk }, CancellationToken.None).GetAwaiter().GetResult();
        }

        _exported = _store.GetAsync(_exported.Id, CancellationToken.None).GetAwaiter().GetResult()!;
        _clock.Now = _clock.Now.AddDays(1);
    }

    private Incident Declare(string title) =>
        _service.DeclareAsync(new DeclareRequest(title, Severity.Sev2, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", Ada), CancellationToken.None).GetAwaiter().GetResult().Incident!;

    private FollowUp FollowUp(int number, int n) => new()
    {
        Number = number,
        Text = $"Action {n}: alert on queue depth | region {n % 7}",
        Owner = new Person($"U{n % 40}", $"Responder {n % 40}"),
        Due = DateOnly.FromDateTime(_clock.Now.UtcDateTime).AddDays(30),
        State = n % 10 == 9 ? FollowUpState.Dropped : FollowUpState.Open,
        DropReason = n % 10 == 9 ? "duplicate" : null,
        TrackerUrl = n % 3 == 0 ? $"https://github.com/acme/shop/issues/{n}" : null,
        CreatedBy = Ada,
        CreatedAt = _clock.Now,
    };

    [GlobalCleanup]
    public void Cleanup()
    {
        StoreProviders.DisposeAsync(_store).AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Read the incident's 10,000 entries and 500 follow-ups from the store and render the Markdown draft.</summary>
    [Benchmark]
    public async Task<string> ExportTenThousandEntriesFiveHundredFollowUps() =>
        PostmortemWriter.ToMarkdown(await _service.ExportPostmortemAsync(_exported, TimeZoneInfo.Utc, CancellationToken.None));

    /// <summary>What FollowUpScheduler.TickAsync does: claim what is due (nothing) and nudge it.</summary>
    [Benchmark]
    public async Task<int> NudgeTickTenThousandOpenNoneDue()
    {
        var due = await _store.ClaimDueFollowUpNudgesAsync(_clock.Now, 500, TimeSpan.FromMinutes(2), CancellationToken.None);
        return due.Count == 0 ? 0 : await _service.SendFollowUpNudgesAsync(due, CancellationToken.None);
    }
}
