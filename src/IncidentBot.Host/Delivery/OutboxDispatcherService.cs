namespace IncidentBot.Host.Delivery;

/// <summary>Loops the dispatcher: drain while there is work, then wait for a signal or the poll interval.</summary>
internal sealed class OutboxDispatcherService(OutboxDispatcher dispatcher, OutboxSignal signal, TimeProvider clock, ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    // Retries fall due without a signal; polling this often bounds how late they go out.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }

                await signal.WaitAsync(PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.DispatcherFailed(logger, e);
                await Task.Delay(PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
