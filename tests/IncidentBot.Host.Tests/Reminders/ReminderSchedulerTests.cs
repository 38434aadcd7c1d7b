using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Roles;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Reminders;
using IncidentBot.Host.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Host.Tests.Reminders;

public sealed class ReminderSchedulerTests
{
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    [Test]
    public async Task Tick_Sev1AfterFifteenMinutes_NudgesCommanderOnce()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);

        _h.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        await _h.DrainAsync();
        var nudge = _h.Platform.Delivered.Select(d => d.Message).Last();
        Assert.That(nudge.Message!.Mentions, Is.EqualTo(new[] { "U1" }));
        Assert.That(nudge.Message.Text.PlainText, Does.Contain("15m 00s"));
        Assert.That(nudge.Message.Buttons.Select(b => b.ActionId), Is.EqualTo(new[] { ActionIds.PostUpdate, ActionIds.Snooze15, ActionIds.Snooze30, ActionIds.Snooze60 }));
        Assert.That(await _h.CountAsync(incident, TimelineKind.ReminderSent), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_AfterDowntimeOfManyIntervals_SendsOneCatchUp()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);

        _h.Clock.Advance(TimeSpan.FromHours(3));
        await _h.Scheduler.TickAsync(CancellationToken.None);
        await _h.Scheduler.TickAsync(CancellationToken.None);

        Assert.That(await _h.CountAsync(incident, TimelineKind.ReminderSent), Is.EqualTo(1));
        _h.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1), "then the normal interval from the catch-up");
    }

    [Test]
    public async Task Tick_StatusUpdate_ResetsClock()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        await _h.DrainAsync();
        var channel = await _h.ConversationOfAsync(incident);

        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Service.ExecuteAsync(new StatusUpdateCommand("working on it"), ServiceHarness.In(channel), CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_Resolved_StopsReminders()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        await _h.DrainAsync();
        await _h.Service.ExecuteAsync(new TransitionCommand(LifecycleAction.Resolve), ServiceHarness.In(await _h.ConversationOfAsync(incident)), CancellationToken.None);

        _h.Clock.Advance(TimeSpan.FromHours(2));

        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Tick_Snooze_DelaysNextNudge()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        await _h.DrainAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(15));
        await _h.Scheduler.TickAsync(CancellationToken.None);

        await _h.Service.ExecuteAsync(new SnoozeCommand(TimeSpan.FromMinutes(60)), ServiceHarness.In("C"), incident.Id, CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That((await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Count(e => e.Kind == TimelineKind.Snoozed), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_TwoSchedulersOnOneSqliteFile_EachReminderSentOnce()
    {
        var incidents = new List<Incident>();
        for (var i = 0; i < 20; i++)
        {
            incidents.Add(await _h.DeclareAsync($"Incident {i}", Severity.Sev1));
        }

        using var otherStore = new Storage.Sqlite.SqliteIncidentStore($"Data Source={_h.DatabasePath}", _h.Clock);
        var otherService = new Core.Service.IncidentService(otherStore, _h.Clock, Core.Reminders.ReminderPolicy.Default, []);
        var other = new ReminderScheduler(otherStore, otherService, _h.Clock, NullLogger<ReminderScheduler>.Instance);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));

        var sent = await Task.WhenAll(Task.Run(() => _h.Scheduler.TickAsync(CancellationToken.None)), Task.Run(() => other.TickAsync(CancellationToken.None)));

        Assert.That(sent.Sum(), Is.EqualTo(20));
        foreach (var incident in incidents)
        {
            Assert.That(await _h.CountAsync(incident, TimelineKind.ReminderSent), Is.EqualTo(1), incident.Title);
        }
    }

    [Test]
    public async Task Tick_SeverityChange_NewIntervalFromNow()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev3);
        await _h.DrainAsync();
        var channel = await _h.ConversationOfAsync(incident);

        _h.Clock.Advance(TimeSpan.FromMinutes(40));
        await _h.Service.ExecuteAsync(new SeverityCommand(Severity.Sev1), ServiceHarness.In(channel), CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero, "Sev1's 15 minutes count from the change");

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_CommanderChange_ResetsClock()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        await _h.DrainAsync();
        var channel = await _h.ConversationOfAsync(incident);

        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Service.ExecuteAsync(new LeadCommand(ServiceHarness.Grace), ServiceHarness.In(channel), CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
        await _h.DrainAsync();
        Assert.That(_h.Platform.Delivered.Last().Message.Message!.Mentions, Is.EqualTo(new[] { "U2" }), "the new commander is nudged");
    }

    [Test]
    public async Task Tick_Mitigated_TwiceTheInterval()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        await _h.DrainAsync();
        await _h.Service.ExecuteAsync(new TransitionCommand(LifecycleAction.Mitigate), ServiceHarness.In(await _h.ConversationOfAsync(incident)), CancellationToken.None);

        _h.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Tick_Reopen_RestartsReminders()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        await _h.DrainAsync();
        var channel = await _h.ConversationOfAsync(incident);
        await _h.Service.ExecuteAsync(new TransitionCommand(LifecycleAction.Resolve), ServiceHarness.In(channel), CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero);

        await _h.Service.ExecuteAsync(new TransitionCommand(LifecycleAction.Reopen), ServiceHarness.In(channel), CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(15));

        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
    }
}
