using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.Host.FollowUps;

/// <summary>
/// One tick: claim the follow-up nudges due now (indexed by due instant, so the cost follows what is due, not how many
/// follow-ups are open) and send each once.
/// </summary>
public sealed class FollowUpScheduler(IIncidentStore store, IncidentService service, TimeProvider clock, ILogger<FollowUpScheduler> logger, Metrics.BotMetrics? metrics = null)
{
    public const int DefaultBatch = 500;

    /// <summary>How long a claimed nudge is hidden from other schedulers; the nudge's save writes the next day's.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>Sends every nudge due now; returns how many were sent.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (true)
        {
            var due = await store.ClaimDueFollowUpNudgesAsync(clock.GetUtcNow(), DefaultBatch, ClaimLease, cancellationToken);
            if (due.Count > 0)
            {
                var batch = await service.SendFollowUpNudgesAsync(due, cancellationToken);
                sent += batch;
                metrics?.FollowUpNudgesSent(batch);
                Log.FollowUpNudgesSent(logger, batch, due.Count);
            }

            if (due.Count < DefaultBatch)
            {
                return sent;
            }
        }
    }
}

/// <summary>Runs the follow-up scheduler (nudges, then the weekly digest) every few seconds; the store is the schedule.</summary>
internal sealed class FollowUpSchedulerService(FollowUpScheduler nudges, FollowUpDigestScheduler digest, TimeProvider clock, ILogger<FollowUpSchedulerService> logger) : BackgroundService
{
    internal static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await nudges.TickAsync(stoppingToken);
                await digest.TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SchedulerFailed(logger, e);
            }

            await Task.Delay(TickInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
