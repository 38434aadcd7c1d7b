using System.Data.Common;
using System.Globalization;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (fsync on every commit),
/// so an acknowledged change survives a process crash and a power cut alike. Writers in this process queue on a
/// semaphore; other processes on the same file wait on SQLite's busy timeout. Incident changes saved while a
/// commit is under way share the next commit, in the order they were saved (<see cref="IOrderedSaves"/>).
/// </summary>
public sealed class SqliteIncidentStore : SqlIncidentStore, IOrderedSaves, IDisposable
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, ReusedCommand> _prepared = new(StringComparer.Ordinal);
    private readonly GroupCommit _commits;

    // Hot reads (find an incident) reuse open connections and their prepared statements too.
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _readers = [];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, Dictionary<string, ReusedCommand>> _readerCommands = [];

    // Writes in this process are serialized anyway, so they share one open connection and its prepared statements.
    private SqliteConnection? _writer;

    public SqliteIncidentStore(string connectionString, TimeProvider clock)
        : base(clock)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        DataSource = builder.DataSource;
        _connectionString = builder.ToString();
        _commits = new GroupCommit((changes, cancellationToken) => base.SaveBatchAsync(changes, cancellationToken));
    }

    /// <summary>Queued behind the saves before it; committed with those queued while the previous commit runs.</summary>
    public override Task<SaveResult> SaveAsync(IncidentChange change, CancellationToken cancellationToken) =>
        _commits.SaveAsync(change, onQueued: null, cancellationToken);

    public Task<SaveResult> SaveAsync(IncidentChange change, Action queued, CancellationToken cancellationToken) =>
        _commits.SaveAsync(change, queued, cancellationToken);

    /// <summary>
    /// Queued like single saves, so a batch (the reminders' nudges) commits after the changes queued before it, which
    /// their turns have already handed on, and never ahead of them.
    /// </summary>
    public override Task<IReadOnlyList<SaveResult>> SaveBatchAsync(IReadOnlyList<IncidentChange> changes, CancellationToken cancellationToken) =>
        _commits.SaveAllAsync(changes, cancellationToken);

    /// <summary>The file this store writes.</summary>
    public string DataSource { get; }

    /// <summary>
    /// Creates the file's folder, applies every migration not yet applied (safe to run again) and releases
    /// outbox leases left by a previous run of the process.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (!string.IsNullOrEmpty(folder) && DataSource != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }

        await using (var connection = await OpenAsync(cancellationToken))
        await using (var wal = connection.CreateCommand())
        {
            // Small pages for a new file: a commit appends every page it touched to the WAL and fsyncs it, and
            // this store's rows are small, so 1 KiB pages cut the bytes each durable commit writes (a no-op
            // on an existing file).
            wal.CommandText = "PRAGMA page_size=1024; PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var scope = await BeginWriteAsync(cancellationToken);
        var current = Convert.ToInt32(await ScalarAsync(scope, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
        for (var version = current; version < SqliteMigrations.Versions.Length; version++)
        {
            await ExecuteAsync(scope, SqliteMigrations.Versions[version], cancellationToken);
            await ExecuteAsync(scope, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version + 1};"), cancellationToken);
        }

        // The embedded store serves one process, so a lease still standing at start belonged to this
        // process's previous life (killed or stopped mid-delivery): hand those rows back at once.
        await ExecuteAsync(scope, "UPDATE outbox SET lease_until = NULL WHERE sent_at IS NULL AND failed_at IS NULL AND lease_until IS NOT NULL", cancellationToken);
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>SQLite's online backup: a consistent copy page by page while writers go on (they wait only for each step).</summary>
    public override async Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var source = (SqliteConnection)await OpenAsync(cancellationToken);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await target.OpenAsync(cancellationToken);
        source.BackupDatabase(target);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // No per-open PRAGMAs: this SQLite build defaults to synchronous=FULL in WAL mode (a test holds
        // it to that), and Microsoft.Data.Sqlite retries SQLITE_BUSY for DefaultTimeout by itself.
        // Each PRAGMA on every open cost more than a third of a use case's commit.
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_writer is null)
            {
                _writer = (SqliteConnection)await OpenAsync(cancellationToken);
            }

            // BEGIN IMMEDIATE: take the write lock up front so two writers never deadlock on an upgrade.
            var transaction = _writer.BeginTransaction(deferred: false);
            return new WriteScope("sqlite", _writer, transaction, new Releaser(_writeLock), ownsConnection: false, Prepared);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    protected override async Task<ReadScope> BeginReadAsync(CancellationToken cancellationToken)
    {
        var connection = _readers.TryTake(out var reader) ? reader : (SqliteConnection)await OpenAsync(cancellationToken);
        return new ReadScope(connection, c => _readers.Add((SqliteConnection)c), ReaderCommand);
    }

    /// <summary>A connection is used by one read at a time, so its own statements need no lock.</summary>
    private ReusedCommand ReaderCommand(System.Data.Common.DbConnection connection, string sql)
    {
        var commands = _readerCommands.GetValue((SqliteConnection)connection, _ => new Dictionary<string, ReusedCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = new ReusedCommand(connection.CreateCommand());
            commands[sql] = command;
        }

        return command;
    }

    /// <summary>Called under the write lock only.</summary>
    private ReusedCommand Prepared(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = new ReusedCommand(_writer!.CreateCommand());
            _prepared[sql] = command;
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Release();
        }

        _prepared.Clear();
        while (_readers.TryTake(out var reader))
        {
            if (_readerCommands.TryGetValue(reader, out var commands))
            {
                foreach (var command in commands.Values)
                {
                    command.Release();
                }
            }

            reader.Dispose();
        }

        _writer?.Dispose();
        _writeLock.Dispose();
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
