using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Reminders;
using IncidentBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace IncidentBot.Host.Tests;

/// <summary>
/// The background loops (reminders, delivery) wait on the injected clock, so a test moves a fake clock
/// instead of waiting; the store has nothing due and counts how often each loop comes to ask.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class BackgroundLoopTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Create();
    private readonly Mock<IIncidentStore> _store = new();
    private int _reminderClaims;
    private int _outboxClaims;

    public BackgroundLoopTests()
    {
        _store.Setup(s => s.ClaimDueRemindersAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Counted(ref _reminderClaims, Array.Empty<DueReminder>()));
        _store.Setup(s => s.ClaimOutboxAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Counted(ref _outboxClaims, Array.Empty<OutboxItem>()));
    }

    private int ReminderClaims => Volatile.Read(ref _reminderClaims);

    private int OutboxClaims => Volatile.Read(ref _outboxClaims);

    [Test]
    public async Task ReminderLoop_ClockMovesATickInterval_TicksAgainWithoutRealTimePassing()
    {
        var scheduler = new ReminderScheduler(_store.Object, new IncidentService(_store.Object, _clock, ReminderPolicy.Default, []), _clock, NullLogger<ReminderScheduler>.Instance);
        using var service = new ReminderSchedulerService(scheduler, _clock, NullLogger<ReminderSchedulerService>.Instance);

        await service.StartAsync(CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => ReminderClaims == 1), Is.True, "the first tick runs at start");

        // Far less real time than a tick interval: only the injected clock can end the wait.
        var ticked = await AdvanceUntilAsync(ReminderSchedulerService.TickInterval / 5, () => ReminderClaims >= 2, ReminderSchedulerService.TickInterval / 2);
        await service.StopAsync(CancellationToken.None);

        Assert.That(ticked, Is.True);
    }

    [Test]
    public async Task DeliveryLoop_SignalThenClock_EachWakesItToClaimAgain()
    {
        using var signal = new OutboxSignal();
        using var service = new OutboxDispatcherService(new OutboxDispatcher(_store.Object, [], _clock, NullLogger<OutboxDispatcher>.Instance), signal, _clock, NullLogger<OutboxDispatcherService>.Instance);

        await service.StartAsync(CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => OutboxClaims == 1), Is.True, "the first claim runs at start");

        signal.Notify();
        var woken = await Poll.UntilAsync(() => OutboxClaims == 2);
        var polled = await AdvanceUntilAsync(TimeSpan.FromMilliseconds(100), () => OutboxClaims >= 3);
        await service.StopAsync(CancellationToken.None);

        Assert.That((woken, polled), Is.EqualTo((true, true)));
    }

    private static IReadOnlyList<T> Counted<T>(ref int counter, IReadOnlyList<T> answer)
    {
        Interlocked.Increment(ref counter);
        return answer;
    }

    /// <summary>Moves the clock on by <paramref name="step"/> at each poll until <paramref name="done"/>; false if the real-time limit passed first.</summary>
    private Task<bool> AdvanceUntilAsync(TimeSpan step, Func<bool> done, TimeSpan? limit = null) =>
        Poll.UntilAsync(
            () =>
            {
                _clock.Advance(step);
                return done();
            },
            limit);
}
