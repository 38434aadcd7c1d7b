using BenchmarkDotNet.Attributes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Benchmarks;

/// <summary>A clock the benchmarks set by hand.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Postmortem export of an incident with 10,000 timeline entries (target: at most 200 ms to Markdown).</summary>
[MemoryDiagnoser]
public class PostmortemBenchmarks
{
    private string _folder = "";
    private SqliteIncidentStore _store = null!;
    private IncidentService _service = null!;
    private Incident _incident = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-bench", Guid.NewGuid().ToString("N"));
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        _store = new SqliteIncidentStore($"Data Source={Path.Combine(_folder, "bot.db")}", clock);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _service = new IncidentService(_store, clock, ReminderPolicy.Default, []);
        _incident = _service.DeclareAsync(new DeclareRequest("Checkout | errors", Severity.Sev1, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None)
            .GetAwaiter().GetResult().Incident!;
        var entries = Enumerable.Range(0, 9_999).Select(i => new TimelineEntry
        {
            At = clock.Now.AddSeconds(i),
            Kind = i % 10 == 0 ? TimelineKind.StatusUpdate : TimelineKind.Note,
            Actor = new Person($"U{i % 40}", $"Responder {i % 40}"),
            Text = $"Entry {i}: observed `p99` at {i % 700} ms | retried\nnext step",
        }).ToList();
        var incident = _incident;
        foreach (var chunk in entries.Chunk(1000))
        {
            incident = incident with { Version = incident.Version + 1 };
            _store.SaveAsync(new IncidentChange { Incident = incident, Entries = chunk, KeepsReminder = true }, CancellationToken.None).GetAwaiter().GetResult();
        }

        _incident = _store.GetAsync(_incident.Id, CancellationToken.None).GetAwaiter().GetResult()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Read 10,000 entries from the store and render the Markdown draft.</summary>
    [Benchmark]
    public async Task<string> ExportTenThousandEntriesToMarkdown() =>
        PostmortemWriter.ToMarkdown(await _service.ExportPostmortemAsync(_incident, TimeZoneInfo.Utc, CancellationToken.None));
}

/// <summary>
/// The reminder scheduler: a tick with 10,000 open incidents and none due (target at most 1 ms), and a
/// tick with 1,000 due at the same instant (target: all nudges enqueued within 2 s).
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private string _folder = "";
    private FixedClock _clock = null!;
    private SqliteIncidentStore _store = null!;
    private IncidentService _service = null!;
    private List<Incident> _incidents = [];
    private DateTimeOffset _start;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-bench", Guid.NewGuid().ToString("N"));
        _start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        _clock = new FixedClock(_start);
        _store = new SqliteIncidentStore($"Data Source={Path.Combine(_folder, "bot.db")}", _clock);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _service = new IncidentService(_store, _clock, ReminderPolicy.Default, []);
        for (var i = 0; i < 10_000; i++)
        {
            _incidents.Add(_service.DeclareAsync(new DeclareRequest($"Incident {i}", Severity.Sev2, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None)
                .GetAwaiter().GetResult().Incident!);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>10,000 open incidents, next reminders 30 minutes out: nothing is due.</summary>
    [Benchmark]
    public Task<IReadOnlyList<DueReminder>> TickTenThousandOpenNoneDue()
    {
        _clock.Now = _start.AddMinutes(1);
        return _store.ClaimDueRemindersAsync(_clock.Now, 1000, TimeSpan.FromMinutes(2), CancellationToken.None);
    }

    [IterationSetup(Target = nameof(TickThousandDueAtOnce))]
    public void MakeThousandDue()
    {
        // 1,000 of the incidents fall due at the same instant; the rest stay in the future.
        _clock.Now = _clock.Now.AddHours(1);
        var due = _clock.Now;
        var batch = _incidents.Take(1000).Select(i => _store.GetAsync(i.Id, CancellationToken.None).GetAwaiter().GetResult()!)
            .Select(i => new IncidentChange { Incident = i with { Version = i.Version + 1 }, NextReminderAt = due }).ToList();
        _store.SaveBatchAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var rest in _incidents.Skip(1000).Chunk(1000))
        {
            var later = rest.Select(i => _store.GetAsync(i.Id, CancellationToken.None).GetAwaiter().GetResult()!)
                .Select(i => new IncidentChange { Incident = i with { Version = i.Version + 1 }, NextReminderAt = due.AddHours(1) }).ToList();
            _store.SaveBatchAsync(later, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>Claim the 1,000 due reminders and enqueue every nudge (with its timeline entry) durably.</summary>
    [Benchmark]
    [InvocationCount(1)]
    public async Task<int> TickThousandDueAtOnce()
    {
        var due = await _store.ClaimDueRemindersAsync(_clock.Now, 1000, TimeSpan.FromMinutes(2), CancellationToken.None);
        return await _service.SendRemindersAsync(due, CancellationToken.None);
    }
}
