using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.FollowUps;
using IncidentBot.Host.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Host.Tests.FollowUps;

/// <summary>Owners nudged once the due day has passed: once a day at most, one catch-up after downtime, on the fake clock.</summary>
public sealed class FollowUpSchedulerTests
{
    private ServiceHarness _h = null!;
    private IncidentService _service = null!;
    private FollowUpScheduler _scheduler = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _h = await ServiceHarness.CreateAsync();
        _service = new IncidentService(_h.Store, _h.Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9"]) { DirectMessages = DirectMessages.ByUserId }]);
        _scheduler = new FollowUpScheduler(_h.Store, _service, _h.Clock, NullLogger<FollowUpScheduler>.Instance);
    }

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    private async Task<(Incident Incident, string Channel)> WithFollowUpAsync(Person? owner, DueSpec? due)
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        var reply = await _service.ExecuteAsync(new AddFollowUpCommand("Alert on queue depth", owner, due), ServiceHarness.In(channel), CancellationToken.None);
        Assert.That(reply.Changed, Is.True, reply.Text.PlainText);
        await _h.DrainAsync();
        return (incident, channel);
    }

    [Test]
    public async Task Tick_DuePassed_MentionInIncidentAndDirectMessageOnce()
    {
        // Declared 2026-11-02 09:00 UTC, due the next day: nudged from the start of 2026-11-04.
        var (incident, _) = await WithFollowUpAsync(ServiceHarness.Grace, new DueSpec(null, 1));

        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 23, 59, 0, TimeSpan.Zero));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.Zero, "due today is not overdue yet");

        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 4, 0, 0, 30, TimeSpan.Zero));
        var before = _h.Platform.Delivered.Count;
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.Zero, "claimed and sent once");

        await _h.DrainAsync();
        var nudges = _h.Platform.Delivered.Skip(before).Select(d => d.Message).ToList();
        Assert.That(nudges.Select(m => m.ConversationId), Is.EquivalentTo(new string?[] { null, "U2" }), "the incident conversation and a direct message to the owner");
        Assert.That(nudges.All(m => m.Message!.Mentions.SequenceEqual(["U2"])), Is.True);
        Assert.That(nudges[0].Message!.Text.PlainText, Does.Contain("follow-up 1 of INC-1 was due 2026-11-03"));
        Assert.That(nudges[0].Message!.Buttons.Single().ActionId, Is.EqualTo(ActionIds.FollowUpDoneOf(1)));
        Assert.That(await _h.CountAsync(incident, TimelineKind.FollowUpNudged), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_SameDayAgain_NoSecondNudge_NextDayOneMore()
    {
        var (incident, _) = await WithFollowUpAsync(ServiceHarness.Grace, new DueSpec(null, 0));

        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 1, 0, 0, TimeSpan.Zero));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        _h.Clock.Advance(FollowUpScheduler.ClaimLease + TimeSpan.FromHours(20));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.Zero, "at most once a UTC day");

        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 4, 0, 1, 0, TimeSpan.Zero));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _h.CountAsync(incident, TimelineKind.FollowUpNudged), Is.EqualTo(2));
    }

    [Test]
    public async Task Tick_AfterAWeekOfDowntime_OneCatchUpNudge()
    {
        var (incident, _) = await WithFollowUpAsync(ServiceHarness.Grace, new DueSpec(null, 0));

        _h.Clock.Advance(TimeSpan.FromDays(7));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.Zero);
        Assert.That(await _h.CountAsync(incident, TimelineKind.FollowUpNudged), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_DoneOrUnassigned_NeverNudged()
    {
        var (incident, channel) = await WithFollowUpAsync(ServiceHarness.Grace, new DueSpec(null, 0));
        await _service.ExecuteAsync(new AddFollowUpCommand("Nobody's yet", null, new DueSpec(null, 0)), ServiceHarness.In(channel), CancellationToken.None);
        await _service.ExecuteAsync(new FollowUpDoneCommand(1), ServiceHarness.In(channel), CancellationToken.None);

        _h.Clock.Advance(TimeSpan.FromDays(2));

        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.Zero);
        Assert.That(await _h.CountAsync(incident, TimelineKind.FollowUpNudged), Is.Zero);
    }

    [Test]
    public async Task Tick_AssignedLater_NudgesTheNewOwner()
    {
        var (_, channel) = await WithFollowUpAsync(null, new DueSpec(null, 0));
        await _service.ExecuteAsync(new AssignFollowUpCommand(1, ServiceHarness.Grace), ServiceHarness.In(channel), CancellationToken.None);
        await _h.DrainAsync();
        var before = _h.Platform.Delivered.Count;

        _h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.That(await _scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));

        await _h.DrainAsync();
        Assert.That(_h.Platform.Delivered.Skip(before).Select(d => d.Message.ConversationId), Does.Contain("U2"));
    }
}
