using System.Data.Common;
using System.Globalization;
using IncidentBot.Storage.Shared;
using Npgsql;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// The store for several replicas: PostgreSQL through Npgsql. Claims use <c>FOR UPDATE SKIP LOCKED</c>
/// plus a lease, so replicas share the outbox and the reminders and a dead replica's claims come back.
/// </summary>
public sealed class PostgresIncidentStore(NpgsqlDataSource dataSource, TimeProvider clock) : SqlIncidentStore(clock), IAsyncDisposable
{
    /// <summary>Statements are prepared after this many uses, unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The data source the store runs on. Unless the connection string sets <c>Max Auto Prepare</c> itself, Npgsql
    /// prepares the store's statements on each connection after their second use: a use case's one-statement write
    /// is otherwise parsed and planned by the server on every call, about as long as its commit takes. Set
    /// <c>Max Auto Prepare=0</c> behind a pooler that cannot keep prepared statements (PgBouncer before 1.21 in
    /// transaction mode).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (!Sets(connectionString, "Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
            if (!Sets(connectionString, "Auto Prepare Min Usages"))
            {
                settings.AutoPrepareMinUsages = 2;
            }
        }

        return builder.Build();
    }

    // Npgsql's own builder answers ContainsKey for every keyword it knows; the plain one only for those written.
    private static bool Sets(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(written => string.Equals(written.Replace(" ", "", StringComparison.Ordinal), keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    protected override string ClaimLockClause => "FOR UPDATE SKIP LOCKED";

    protected override string OwnIdsClause => "OVERRIDING SYSTEM VALUE";

    /// <summary>Identity columns given their values by hand do not move their sequences: set them past the imported ids.</summary>
    protected override async Task AfterImportAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "incidents", "timeline", "outbox" })
        {
            await ExecuteAsync(scope, string.Create(CultureInfo.InvariantCulture,
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"), cancellationToken);
        }
    }

    /// <summary>PostgreSQL has its own tools for this: pg_dump or a base backup.</summary>
    public override Task BackupAsync(string path, CancellationToken cancellationToken) =>
        throw new NotSupportedException("backup copies the embedded stores; back PostgreSQL up with pg_dump.");

    /// <summary>Applies missing migrations under an advisory lock: replicas starting together migrate once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        await ExecuteAsync(scope, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({PostgresMigrations.AdvisoryLockKey})"), cancellationToken);
        await ExecuteAsync(scope, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken);
        var current = Convert.ToInt32(await ScalarAsync(scope, "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken), CultureInfo.InvariantCulture);
        for (var version = current; version < PostgresMigrations.Versions.Length; version++)
        {
            await ExecuteAsync(scope, PostgresMigrations.Versions[version], cancellationToken);
            await ExecuteAsync(scope, "INSERT INTO schema_version (version) VALUES (@version)", cancellationToken, ("version", version + 1));
        }

        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>A plain change is one round trip (see <c>SqlIncidentStore.OneStatement.cs</c>).</summary>
    protected override bool WritesChangeInOneStatement => true;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>No transaction: the server commits the one statement as it ends (a round trip fewer than BEGIN ... COMMIT).</summary>
    protected override async Task<WriteScope> BeginStatementAsync(CancellationToken cancellationToken) =>
        new("postgres", await dataSource.OpenConnectionAsync(cancellationToken), transaction: null, localLock: null, ownsConnection: true);

    protected override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
            return new WriteScope("postgres", connection, transaction, localLock: null, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
