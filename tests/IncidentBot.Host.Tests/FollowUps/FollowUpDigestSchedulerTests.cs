using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.FollowUps;
using IncidentBot.Host.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Host.Tests.FollowUps;

/// <summary>The weekly digest on the fake clock: once per week across replicas, one catch-up after downtime, off when empty.</summary>
public sealed class FollowUpDigestSchedulerTests
{
    private static readonly PlatformSettings Slack = new("slack", "CANNOUNCE", ["U9"]);
    private static readonly FollowUpOptions Options = new() { DigestDay = "Monday", DigestTime = "09:00", TimeZone = "Europe/Paris" };

    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    private FollowUpDigestScheduler Replica(FollowUpOptions? options = null) =>
        new(_h.Store, _h.Service, [Slack], options ?? Options, _h.Clock, NullLogger<FollowUpDigestScheduler>.Instance);

    private async Task<string> WithOpenFollowUpAsync()
    {
        var (_, channel) = await _h.DeclareOpenAsync();
        await _h.RunAsync(channel, new AddFollowUpCommand("Alert on queue depth", ServiceHarness.Grace, new DueSpec(null, 0)));
        await _h.DrainAsync();
        return channel;
    }

    private List<OutgoingMessage> Digests() =>
        _h.Platform.Delivered.Select(d => d.Message).Where(m => m.ConversationId == "CANNOUNCE" && m.Message?.Title?.PlainText.StartsWith("Follow-ups:", StringComparison.Ordinal) == true).ToList();

    [Test]
    public async Task Tick_WeeklyAtTheConfiguredLocalTime_OnceAcrossTwoReplicas()
    {
        await WithOpenFollowUpAsync();

        // The clock starts on Monday 2026-11-02 09:00 UTC, after that day's 09:00 in Paris (08:00 UTC): that digest is due.
        var (first, second) = (Replica(), Replica());
        Assert.That(await first.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await second.TickAsync(CancellationToken.None), Is.Zero, "the other replica finds it written");
        Assert.That(await first.TickAsync(CancellationToken.None), Is.Zero);

        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 9, 7, 59, 0, TimeSpan.Zero));
        Assert.That(await second.TickAsync(CancellationToken.None), Is.Zero, "not before Monday 09:00 Paris time");
        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 9, 8, 0, 0, TimeSpan.Zero));
        Assert.That(await second.TickAsync(CancellationToken.None) + await first.TickAsync(CancellationToken.None), Is.EqualTo(1));

        await _h.DrainAsync();
        var digests = Digests();
        Assert.That(digests, Has.Count.EqualTo(2));
        Assert.That(digests[1].Message!.Title!.PlainText, Is.EqualTo("Follow-ups: 1 open, 1 overdue"));
        Assert.That(digests[1].Message!.Text.PlainText, Does.Contain("INC-1 1 Alert on queue depth | Grace | due 2026-11-02 (overdue)"));
        Assert.That(digests[1].Message!.Mentions, Is.EqualTo(new[] { "U2" }));
    }

    [Test]
    public async Task Tick_AfterThreeWeeksDown_OneCatchUpDigest()
    {
        await WithOpenFollowUpAsync();
        await Replica().TickAsync(CancellationToken.None);

        _h.Clock.Advance(TimeSpan.FromDays(21) + TimeSpan.FromHours(5));
        var restarted = Replica();
        Assert.That(await restarted.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await restarted.TickAsync(CancellationToken.None), Is.Zero);
        await _h.DrainAsync();
        Assert.That(Digests(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Tick_NothingOpen_NoDigest()
    {
        var channel = await WithOpenFollowUpAsync();
        await _h.RunAsync(channel, new FollowUpDoneCommand(1));

        Assert.That(await Replica().TickAsync(CancellationToken.None), Is.Zero);
        await _h.DrainAsync();
        Assert.That(Digests(), Is.Empty);
    }

    [Test]
    public async Task Tick_Off_NoDigest()
    {
        await WithOpenFollowUpAsync();

        Assert.That(await Replica(new FollowUpOptions { DigestDay = "Off" }).TickAsync(CancellationToken.None), Is.Zero);
    }
}
