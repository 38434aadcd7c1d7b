using BenchmarkDotNet.Attributes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Benchmarks;

/// <summary>
/// Durable commit rate of a use case (incident + timeline + outbox in one transaction) against the
/// floor: a raw single-row insert transaction on the same file settings (WAL, synchronous=FULL).
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private string _folder = "";
    private SqliteIncidentStore _store = null!;
    private IncidentService _service = null!;
    private CommandContext _context = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private SqliteConnection _rawSmall = null!;
    private SqliteCommand _insertSmall = null!;
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-bench", Guid.NewGuid().ToString("N"));
        _store = new SqliteIncidentStore($"Data Source={Path.Combine(_folder, "bot.db")}", TimeProvider.System);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _service = new IncidentService(_store, TimeProvider.System, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", [])]);
        var declared = _service.DeclareAsync(new DeclareRequest("Bench", Severity.Sev2, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None).GetAwaiter().GetResult();
        _store.SetConversationAsync(declared.Incident!.Id, "CINC", null, CancellationToken.None).GetAwaiter().GetResult();
        _context = new CommandContext("slack", "T1", "CINC", new Person("U1", "Ada"));

        (_raw, _insert) = OpenFloor(Path.Combine(_folder, "floor.db"), pragmas: "");

        // The same floor on the store's page size (1 KiB), for a like-for-like comparison.
        (_rawSmall, _insertSmall) = OpenFloor(Path.Combine(_folder, "floor-small.db"), pragmas: "PRAGMA page_size=1024; ");
    }

    private static (SqliteConnection Connection, SqliteCommand Insert) OpenFloor(string path, string pragmas)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = pragmas + "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (v) VALUES ($v)";
        insert.Parameters.AddWithValue("$v", "x");
        return (connection, insert);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        _insertSmall.Dispose();
        _rawSmall.Dispose();
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The floor: one row, one transaction, same durability.</summary>
    [Benchmark(Baseline = true)]
    public void RawInsertTransaction() => InsertOne(_raw, _insert);

    /// <summary>The floor on 1 KiB pages, as the store's file uses.</summary>
    [Benchmark]
    public void RawInsertTransactionSmallPages() => InsertOne(_rawSmall, _insertSmall);

    private static void InsertOne(SqliteConnection connection, SqliteCommand insert)
    {
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        insert.Parameters["$v"].Value = "x";
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>A status update: incident row, timeline entry, two outbox messages, reminder: one transaction.</summary>
    [Benchmark]
    public Task<CommandReply> StatusUpdateUseCase() =>
        _service.ExecuteAsync(new StatusUpdateCommand($"update {Interlocked.Increment(ref _counter)}"), _context, CancellationToken.None);
}
