using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Metrics;

/// <summary>Reads the outbox backlog and the open incidents for the gauges every few seconds; scrapes never touch the store.</summary>
internal sealed class StoreGaugesService(IIncidentStore store, BotMetrics metrics, TimeProvider clock, ILogger<StoreGaugesService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.Update(await store.GetOutboxBacklogAsync(stoppingToken), await store.CountOpenIncidentsAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store is unreachable: the gauges keep their last values and readiness reports the outage.
                Log.GaugesFailed(logger, e);
                metrics.StoreUnreachable();
            }

            await Task.Delay(Interval, clock, stoppingToken);
        }
    }
}
