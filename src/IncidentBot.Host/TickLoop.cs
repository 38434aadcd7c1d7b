namespace IncidentBot.Host;

/// <summary>A scheduler's loop: tick, log a failure and go on, wait the interval on the injected clock, until stopped.</summary>
internal static class TickLoop
{
    public static async Task RunAsync(Func<CancellationToken, Task> tick, TimeSpan interval, TimeProvider clock, Action<Exception> failed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await tick(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
            }

            await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
