using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Reminders;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Reminders;

/// <summary>
/// A reminder claimed by the scheduler, then rescheduled by a person before the nudge is written: the nudge is
/// dropped, and the person's schedule stands.
/// </summary>
public sealed class ReminderClaimTests
{
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    private async Task<IReadOnlyList<Core.Ports.DueReminder>> ClaimAsync() =>
        await _h.Store.ClaimDueRemindersAsync(_h.Clock.GetUtcNow(), 10, ReminderScheduler.ClaimLease, CancellationToken.None);

    [Test]
    public async Task StatusUpdateBetweenClaimAndNudge_NoNudgeAndTheUpdateResetsTheClock()
    {
        var (incident, channel) = await _h.DeclareOpenAsync(severity: Severity.Sev1);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        var claimed = await ClaimAsync();
        Assert.That(claimed.Select(c => c.IncidentId), Is.EqualTo(new[] { incident.Id }));

        await _h.RunAsync(channel, new StatusUpdateCommand("failing over"));
        var sent = await _h.Service.SendRemindersAsync(claimed, CancellationToken.None);

        Assert.That(sent, Is.Zero);
        Assert.That(await _h.CountAsync(incident, TimelineKind.ReminderSent), Is.Zero);
        _h.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero, "15 minutes from the update, not from the dropped nudge");
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task SnoozeBetweenClaimAndNudge_NoNudgeAndTheSnoozeStands()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        var claimed = await ClaimAsync();

        await _h.Service.ExecuteAsync(new SnoozeCommand(TimeSpan.FromMinutes(60)), ServiceHarness.In("C"), incident.Id, CancellationToken.None);
        Assert.That(await _h.Service.SendRemindersAsync(claimed, CancellationToken.None), Is.Zero);

        _h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.That(await _h.Scheduler.TickAsync(CancellationToken.None), Is.Zero, "the snooze was not overwritten by the nudge's interval");
        Assert.That(await _h.CountAsync(incident, TimelineKind.ReminderSent), Is.Zero);
    }

    [Test]
    public async Task NothingBetweenClaimAndNudge_NudgeSent()
    {
        var incident = await _h.DeclareAsync(severity: Severity.Sev1);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        var claimed = await ClaimAsync();

        Assert.That(await _h.Service.SendRemindersAsync(claimed, CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _h.CountAsync(incident, TimelineKind.ReminderSent), Is.EqualTo(1));
    }
}
