using IncidentBot.Core.Ports;
using IncidentBot.Storage.LiteDb;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Npgsql;

namespace IncidentBot.Storage;

/// <summary>The stores by provider name: what the host's <c>Storage:Provider</c> and the store commands choose from.</summary>
public static class StoreProviders
{
    public const string LiteDb = "LiteDb";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public const string DefaultLiteDbFile = "data/incidentbot.litedb";
    public const string DefaultSqliteFile = "data/incidentbot.db";
    public const string DefaultLiteDbConnectionString = "Filename=" + DefaultLiteDbFile;
    public const string DefaultSqliteConnectionString = "Data Source=" + DefaultSqliteFile;

    public static IReadOnlyList<string> Names { get; } = [LiteDb, Sqlite, Postgres];

    /// <summary>The embedded providers' file when no connection string is given; PostgreSQL has none.</summary>
    public static string? DefaultConnectionString(string provider) => provider switch
    {
        LiteDb => DefaultLiteDbConnectionString,
        Sqlite => DefaultSqliteConnectionString,
        _ => null,
    };

    /// <summary>The embedded providers' default file, relative to the working directory.</summary>
    public static string? DefaultFile(string provider) => provider switch
    {
        LiteDb => DefaultLiteDbFile,
        Sqlite => DefaultSqliteFile,
        _ => null,
    };

    /// <summary>A store of <paramref name="provider"/>, not yet migrated (see <see cref="MigrateAsync"/>).</summary>
    public static IIncidentStore Create(string provider, string connectionString, TimeProvider clock) => provider switch
    {
        LiteDb => new LiteDbIncidentStore(connectionString, clock),
        Sqlite => new SqliteIncidentStore(connectionString, clock),
        Postgres => new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(connectionString), clock),
        _ => throw new ArgumentException($"Unknown store provider '{provider}': {string.Join(", ", Names)}.", nameof(provider)),
    };

    /// <summary>Brings the schema up to date (or opens the file) before anything reads it.</summary>
    public static Task MigrateAsync(IIncidentStore store, CancellationToken cancellationToken) => store switch
    {
        LiteDbIncidentStore lite => lite.MigrateAsync(cancellationToken),
        SqliteIncidentStore sqlite => sqlite.MigrateAsync(cancellationToken),
        PostgresIncidentStore postgres => postgres.MigrateAsync(cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>Where the store keeps its data, for the start-up log: a full file path, or host:port/database (never a password).</summary>
    public static string Location(IIncidentStore store, string connectionString) => store switch
    {
        LiteDbIncidentStore lite => lite.Filename,
        SqliteIncidentStore sqlite => Path.GetFullPath(sqlite.DataSource),
        _ => new NpgsqlConnectionStringBuilder(connectionString) is var b ? $"{b.Host}:{b.Port}/{b.Database}" : "",
    };

    /// <summary>Closes a store whichever way it is disposable.</summary>
    public static async ValueTask DisposeAsync(IIncidentStore store)
    {
        switch (store)
        {
            case IAsyncDisposable disposable:
                await disposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
