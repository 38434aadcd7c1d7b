using System.Globalization;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.Host.FollowUps;

/// <summary>
/// The weekly digest: at the configured day and time, each platform's open follow-ups to its announcement channel.
/// Written through the outbox under an inbound id named after the platform and the digest instant, so of all replicas
/// (and all ticks) exactly one writes it; after downtime the latest missed digest goes out once, older ones never.
/// </summary>
public sealed class FollowUpDigestScheduler(IIncidentStore store, IncidentService service, IEnumerable<PlatformSettings> platforms, FollowUpOptions options, TimeProvider clock, ILogger<FollowUpDigestScheduler> logger)
{
    private DateTimeOffset? _handled;

    /// <summary>Posts the digest due now if no replica did; returns how many platforms got one.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        if (options.DigestOff)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var due = FollowUpDigest.LatestDue(now, options.Day, options.Time, options.Zone);
        if (_handled == due)
        {
            return 0;
        }

        var posted = 0;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, options.Zone).DateTime);
        foreach (var platform in platforms)
        {
            if (platform.AnnouncementConversationId is not { Length: > 0 } channel)
            {
                continue;
            }

            var incidents = await store.ListWithFollowUpsAsync(platform.Platform, cancellationToken);
            if (FollowUpDigest.Build(incidents, today) is not { } digest)
            {
                continue;
            }

            var message = new OutgoingMessage { Platform = platform.Platform, Operation = ChatOperation.Post, ConversationId = channel, Message = digest };
            var id = string.Create(CultureInfo.InvariantCulture, $"followups-digest:{platform.Platform}:{due.UtcTicks}");
            if (await service.SendAsync([message], id, cancellationToken))
            {
                posted++;
                Log.FollowUpDigestPosted(logger, platform.Platform, incidents.Sum(i => i.FollowUps.Count(f => f.IsOpen)), incidents.Sum(i => i.FollowUps.Count(f => f.IsOverdue(today))));
            }
        }

        _handled = due;
        return posted;
    }
}
