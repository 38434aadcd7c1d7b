using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Host.Archive;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Slack.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Tests.Archive;

/// <summary>A closed incident's Slack channel archived after Slack:ArchiveChannelAfter: notice first, once across replicas and restarts.</summary>
public sealed class ChannelArchiveSchedulerTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    private static ChannelArchiveScheduler Scheduler(ServiceHarness h, TimeSpan? after) =>
        new(h.Store, h.Service, Options.Create(new SlackOptions { ArchiveChannelAfter = after }), h.Clock, NullLogger<ChannelArchiveScheduler>.Instance);

    private async Task<(Incident Incident, string Channel)> ClosedAsync()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        foreach (var command in new[] { "resolve", "review", "close" })
        {
            var reply = await _h.RunAsync(channel, CommandParser.Parse(command));
            Assert.That(reply.Changed, Is.True, reply.Text.PlainText);
        }

        await _h.DrainAsync();
        return (incident, channel);
    }

    [Test]
    public async Task Tick_AfterTheDelay_NoticeThenArchive_OnceAcrossReplicasAndRestarts()
    {
        var (incident, channel) = await ClosedAsync();
        var replicaA = Scheduler(_h, Week);
        await using var other = await ServiceHarness.CreateAsync(_h.Folder, _h.Clock);
        var replicaB = Scheduler(other, Week);

        _h.Clock.Advance(Week - TimeSpan.FromSeconds(1));
        Assert.That(await replicaA.TickAsync(CancellationToken.None), Is.Zero, "not before the delay");

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        var written = await Task.WhenAll(replicaA.TickAsync(CancellationToken.None), replicaB.TickAsync(CancellationToken.None));
        Assert.That(written.Sum(), Is.EqualTo(1), "one replica writes it");

        // A restart (a new scheduler on the same store) long after: nothing again.
        _h.Clock.Advance(ChannelArchiveScheduler.ClaimLease * 10);
        Assert.That(await Scheduler(_h, Week).TickAsync(CancellationToken.None), Is.Zero);

        var before = _h.Platform.Delivered.Count;
        await _h.DrainAsync();
        var delivered = _h.Platform.Delivered.Skip(before).Select(d => d.Message).Where(m => m.IncidentId == incident.Id).ToList();
        Assert.That(delivered.Select(m => m.Operation), Is.EqualTo(new[] { ChatOperation.Post, ChatOperation.ArchiveConversation }), "the notice first");
        Assert.That(delivered[0].Message!.Text.PlainText, Does.StartWith("This channel will be archived").And.Contain(incident.Key));
        Assert.That(await _h.ConversationOfAsync(incident), Is.EqualTo(channel));
    }

    [Test]
    public async Task Tick_ClosedBeforeARestart_ArchivedByTheNextProcess()
    {
        var (incident, _) = await ClosedAsync();
        _h.Clock.Advance(Week + TimeSpan.FromDays(3));

        // The process that saw the close is gone; a new one (new harness on the same database) finds the schedule in the store.
        await using var restarted = await ServiceHarness.CreateAsync(_h.Folder, _h.Clock);
        Assert.That(await Scheduler(restarted, Week).TickAsync(CancellationToken.None), Is.EqualTo(1));
        await restarted.DrainAsync();
        Assert.That(restarted.Platform.Delivered.Select(d => d.Message).Count(m => m.IncidentId == incident.Id && m.Operation == ChatOperation.ArchiveConversation), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_OptionOffOrIncidentNotClosed_NothingArchived()
    {
        var (_, channel) = await _h.DeclareOpenAsync("Still open");
        await _h.RunAsync(channel, CommandParser.Parse("resolve"));
        await ClosedAsync();
        _h.Clock.Advance(Week * 4);

        Assert.That(await Scheduler(_h, null).TickAsync(CancellationToken.None), Is.Zero, "off by default");
        Assert.That(await Scheduler(_h, Week).TickAsync(CancellationToken.None), Is.EqualTo(1), "only the closed one");
    }
}
