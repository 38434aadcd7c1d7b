using BenchmarkDotNet.Attributes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Storage.LiteDb;
using LiteDB;
using LiteDB.Engine;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.Benchmarks;

/// <summary>
/// The LiteDB store beside its own floor: one document inserted in one transaction on LiteDB's engine, then one fsync
/// of the log file (the durability the store gives every commit), against the status-update use case on the store.
/// </summary>
[MemoryDiagnoser]
public class LiteDbStoreBenchmarks
{
    private string _folder = "";
    private LiteDbIncidentStore _store = null!;
    private IncidentService _service = null!;
    private CommandContext _context = null!;
    private FileStream _floorData = null!;
    private FileStream _floorLog = null!;
    private LiteDatabase _floor = null!;
    private ILiteCollection<BsonDocument> _rows = null!;
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-bench", Guid.NewGuid().ToString("N"));
        _store = new LiteDbIncidentStore($"Filename={Path.Combine(_folder, "bot.litedb")}", TimeProvider.System);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _service = new IncidentService(_store, TimeProvider.System, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", [])]);
        var declared = _service.DeclareAsync(new DeclareRequest("Bench", Severity.Sev2, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None).GetAwaiter().GetResult();
        _store.SetConversationAsync(declared.Incident!.Id, "CINC", null, CancellationToken.None).GetAwaiter().GetResult();
        _context = new CommandContext("slack", "T1", "CINC", new Person("U1", "Ada"));

        _floorData = new FileStream(Path.Combine(_folder, "floor.litedb"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 0);
        _floorLog = new FileStream(Path.Combine(_folder, "floor-log.litedb"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 0);
        _floor = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = _floorData, LogStream = _floorLog }));
        _rows = _floor.GetCollection("t");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _floorLog.Dispose();
        _floorData.Dispose();
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The floor: one document, one transaction, one fsync of the log.</summary>
    [Benchmark(Baseline = true)]
    public void RawInsertTransaction()
    {
        _floor.BeginTrans();
        _rows.Insert(new BsonDocument { ["v"] = "x" });
        _floor.Commit();
        _floorLog.Flush(flushToDisk: true);
    }

    /// <summary>A status update: incident, timeline entry, outbox messages, reminder: one transaction on the engine thread.</summary>
    [Benchmark]
    public Task<CommandReply> StatusUpdateUseCase() =>
        _service.ExecuteAsync(new StatusUpdateCommand($"update {Interlocked.Increment(ref _counter)}"), _context, CancellationToken.None);
}
