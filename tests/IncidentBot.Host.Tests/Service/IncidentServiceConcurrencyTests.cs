using IncidentBot.Core.Commands;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Service;

/// <summary>
/// Issue 11 §6: people typing into one incident at once are never told to try again. Eight writers send
/// 200 status updates into one incident over a real SQLite file; every one is committed.
/// </summary>
public sealed class IncidentServiceConcurrencyTests
{
    private const int Writers = 8;
    private const int Updates = 200;

    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    /// <summary>Sends <see cref="Updates"/> status updates from <see cref="Writers"/> threads, writer w through <paramref name="services"/>[w % n].</summary>
    private async Task<CommandReply[]> UpdateConcurrentlyAsync(string channel, params IncidentService[] services)
    {
        var replies = new CommandReply[Updates];
        await _h.WhileClockRunsAsync(Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = writer; i < Updates; i += Writers)
            {
                replies[i] = await services[writer % services.Length].ExecuteAsync(
                    new StatusUpdateCommand($"update {i}"), ServiceHarness.In(channel, eventId: $"Ev-{i}"), CancellationToken.None);
            }
        })))).WaitAsync(TimeSpan.FromSeconds(60));
        return replies;
    }

    private async Task<List<string>> StatusUpdatesAsync(long incidentId) =>
        (await _h.Store.GetTimelineAsync(incidentId, CancellationToken.None)).Where(e => e.Kind == TimelineKind.StatusUpdate).Select(e => e.Text).ToList();

    [Test]
    public async Task Execute_EightWritersOneIncidentOneProcess_NobodyToldToTryAgainAndAllCommitted()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();

        var replies = await UpdateConcurrentlyAsync(channel, _h.Service);

        Assert.That(replies.Where(r => !r.Changed).Select(r => r.Text), Is.Empty, "every update answered as posted, none told to try again");
        Assert.That(await StatusUpdatesAsync(incident.Id), Is.EquivalentTo(Enumerable.Range(0, Updates).Select(i => $"update {i}")), "each update once on the timeline");
        var stored = await _h.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(stored!.Version, Is.EqualTo(incident.Version + Updates));
    }

    [Test]
    public async Task Execute_EightWritersOverTwoReplicasOfTheService_AtMostOnePercentToldToTryAgain()
    {
        // Two services share the store but not a gate, as two replicas would: their races go to the backoff.
        var (incident, channel) = await _h.DeclareOpenAsync();

        var replies = await UpdateConcurrentlyAsync(channel, _h.Service, _h.NewService());

        var refused = replies.Count(r => !r.Changed);
        Assert.That(refused, Is.LessThanOrEqualTo(Updates / 100), string.Join('\n', replies.Where(r => !r.Changed).Select(r => r.Text)));
        Assert.That(await StatusUpdatesAsync(incident.Id), Has.Count.EqualTo(Updates - refused), "each answered update committed, once");
    }
}
