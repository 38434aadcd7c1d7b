using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Archive;

/// <summary>
/// One tick: claim the closed Slack incidents whose close is <c>Slack:ArchiveChannelAfter</c> ago (the store keeps the schedule,
/// so a restart loses nothing) and write the notice and the archive to the outbox, once (under an inbound id of its own).
/// </summary>
public sealed partial class ChannelArchiveScheduler(IIncidentStore store, IncidentService service, IOptions<SlackOptions> slack, TimeProvider clock, ILogger<ChannelArchiveScheduler> logger)
{
    public const string Platform = "slack";
    public const int DefaultBatch = 100;

    /// <summary>How long a claimed archive is hidden from other schedulers; completing it hides it for good.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>Writes every archive due now; returns how many. Nothing when the option is off.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        if (slack.Value.ArchiveChannelAfter is not { } after)
        {
            return 0;
        }

        var written = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = await store.ClaimDueChannelArchivesAsync(Platform, now - after, now, DefaultBatch, ClaimLease, cancellationToken);
            foreach (var archive in due)
            {
                if (await store.GetAsync(archive.IncidentId, cancellationToken) is { ConversationId: not null } incident)
                {
                    await service.SendAsync(ChannelArchive.Messages(incident), ChannelArchive.InboundIdOf(incident.Id), cancellationToken);
                    written++;
                }

                await store.CompleteChannelArchiveAsync(archive.IncidentId, cancellationToken);
            }

            if (due.Count > 0)
            {
                ArchivesWritten(logger, written, due.Count);
            }

            if (due.Count < DefaultBatch)
            {
                return written;
            }
        }
    }

    [LoggerMessage(1220, LogLevel.Information, "Channel archives queued: {Written} of {Due} due")]
    private static partial void ArchivesWritten(ILogger logger, int written, int due);
}

/// <summary>Runs the archive scheduler every few seconds while <c>Slack:ArchiveChannelAfter</c> is set.</summary>
internal sealed partial class ChannelArchiveSchedulerService(ChannelArchiveScheduler scheduler, IOptions<SlackOptions> slack, TimeProvider clock, ILogger<ChannelArchiveSchedulerService> logger) : BackgroundService
{
    internal static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (slack.Value.ArchiveChannelAfter is null)
        {
            return;
        }

        await TickLoop.RunAsync(scheduler.TickAsync, TickInterval, clock, e => TickFailed(logger, e), stoppingToken);
    }

    [LoggerMessage(1221, LogLevel.Error, "Channel archive scheduler loop failed; retrying")]
    private static partial void TickFailed(ILogger logger, Exception exception);
}
