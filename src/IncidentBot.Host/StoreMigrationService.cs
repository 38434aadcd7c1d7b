using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Configuration;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Reminders;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Teams.Configuration;
using Npgsql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host;

/// <summary>Applies the schema migrations at start, before anything else runs.</summary>
internal sealed class StoreMigrationService(IIncidentStore store, IOptions<StorageOptions> options, ILogger<StoreMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        switch (store)
        {
            case SqliteIncidentStore sqlite:
                await sqlite.MigrateAsync(cancellationToken);
                Log.StorageReady(logger, options.Value.Provider, Path.GetFullPath(sqlite.DataSource));
                break;
            case PostgresIncidentStore postgres:
                await postgres.MigrateAsync(cancellationToken);
                var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
                Log.StorageReady(logger, options.Value.Provider, $"{builder.Host}:{builder.Port}/{builder.Database}");
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
