using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Host.Metrics;

namespace IncidentBot.Host.Reminders;

/// <summary>
/// One tick: ask the store what is due (indexed, so the cost follows what is due, not how many
/// incidents are open), claim it, and send each nudge once.
/// </summary>
public sealed class ReminderScheduler(IIncidentStore store, IncidentService service, TimeProvider clock, ILogger<ReminderScheduler> logger, BotMetrics? metrics = null)
{
    public const int DefaultBatch = 1000;

    /// <summary>How long a claimed reminder is hidden from other schedulers; its nudge's save sets the real next instant.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>Sends every reminder due now; returns how many were sent.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (true)
        {
            var due = await store.ClaimDueRemindersAsync(clock.GetUtcNow(), DefaultBatch, ClaimLease, cancellationToken);
            if (due.Count > 0)
            {
                var batch = await service.SendRemindersAsync(due, cancellationToken);
                sent += batch;
                metrics?.RemindersSent(batch);
                Log.RemindersSent(logger, batch, due.Count);
            }

            if (due.Count < DefaultBatch)
            {
                return sent;
            }
        }
    }
}

/// <summary>Runs the scheduler every few seconds; the store is the schedule, so a restart simply resumes.</summary>
internal sealed class ReminderSchedulerService(ReminderScheduler scheduler, TimeProvider clock, ILogger<ReminderSchedulerService> logger) : BackgroundService
{
    internal static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        TickLoop.RunAsync(scheduler.TickAsync, TickInterval, clock, e => Log.SchedulerFailed(logger, e), stoppingToken);
}
