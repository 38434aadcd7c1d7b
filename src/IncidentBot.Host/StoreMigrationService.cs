using IncidentBot.Core.Ports;
using IncidentBot.Host.Configuration;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host;

/// <summary>Applies the schema migrations at start, before anything else runs.</summary>
internal sealed class StoreMigrationService(IIncidentStore store, IOptions<StorageOptions> options, ILogger<StoreMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await StoreProviders.MigrateAsync(store, cancellationToken);
        Log.StorageReady(logger, options.Value.EffectiveProvider, StoreProviders.Location(store, options.Value.EffectiveConnectionString));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
