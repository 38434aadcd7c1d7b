using BenchmarkDotNet.Attributes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Storage.Postgres;
using Npgsql;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.Benchmarks;

/// <summary>
/// The PostgreSQL store beside its own floor (one row, one transaction, the server's fsync), on the server
/// INCIDENTBOT_TEST_POSTGRES names; each run makes a database of its own and drops it.
/// </summary>
[MemoryDiagnoser]
public class PostgresStoreBenchmarks
{
    private string _admin = "";
    private string _database = "";
    private NpgsqlDataSource _source = null!;
    private PostgresIncidentStore _store = null!;
    private IncidentService _service = null!;
    private CommandContext _context = null!;
    private NpgsqlConnection _raw = null!;
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        _admin = Environment.GetEnvironmentVariable("INCIDENTBOT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Set INCIDENTBOT_TEST_POSTGRES to a PostgreSQL server (.ci/start-postgres.sh prints one).");
        _database = "ib_bench_" + Guid.NewGuid().ToString("N")[..12];
        Execute(_admin, $"CREATE DATABASE {_database}");
        var connection = new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;
        _source = PostgresIncidentStore.CreateDataSource(connection);
        _store = new PostgresIncidentStore(_source, TimeProvider.System);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _service = new IncidentService(_store, TimeProvider.System, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", [])]);
        var declared = _service.DeclareAsync(new DeclareRequest("Bench", Severity.Sev2, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None).GetAwaiter().GetResult();
        _store.SetConversationAsync(declared.Incident!.Id, "CINC", null, CancellationToken.None).GetAwaiter().GetResult();
        _context = new CommandContext("slack", "T1", "CINC", new Person("U1", "Ada"));
        Execute(connection, "CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)");
        _raw = new NpgsqlConnection(connection);
        _raw.Open();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        NpgsqlConnection.ClearAllPools();
        Execute(_admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The floor: one row, one transaction, committed by the server (fsync on).</summary>
    [Benchmark(Baseline = true)]
    public void RawInsertTransaction()
    {
        using var transaction = _raw.BeginTransaction();
        using var insert = new NpgsqlCommand("INSERT INTO t (v) VALUES ('x')", _raw, transaction);
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    [Benchmark]
    public Task<CommandReply> StatusUpdateUseCase() =>
        _service.ExecuteAsync(new StatusUpdateCommand($"update {Interlocked.Increment(ref _counter)}"), _context, CancellationToken.None);
}
