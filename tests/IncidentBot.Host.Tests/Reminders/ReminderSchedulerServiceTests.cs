using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Reminders;
using IncidentBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace IncidentBot.Host.Tests.Reminders;

/// <summary>The background loop ticks on the injected clock, so a test moves it instead of waiting.</summary>
public sealed class ReminderSchedulerServiceTests
{
    [Test]
    public async Task Loop_ClockMovesATickInterval_TicksAgainWithoutRealTimePassing()
    {
        var clock = TestClock.Create();
        var ticks = 0;
        var store = new Mock<IIncidentStore>();
        store.Setup(s => s.ClaimDueRemindersAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                Interlocked.Increment(ref ticks);
                return Array.Empty<DueReminder>();
            });
        var scheduler = new ReminderScheduler(store.Object, new IncidentService(store.Object, clock, ReminderPolicy.Default, []), clock, NullLogger<ReminderScheduler>.Instance);
        using var service = new ReminderSchedulerService(scheduler, clock, NullLogger<ReminderSchedulerService>.Instance);

        await service.StartAsync(CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => Volatile.Read(ref ticks) == 1), Is.True, "the first tick runs at start");

        // Far less real time than a tick interval: only the injected clock can end the wait.
        var ticked = await Poll.UntilAsync(
            () =>
            {
                clock.Advance(ReminderSchedulerService.TickInterval / 5);
                return Volatile.Read(ref ticks) >= 2;
            },
            ReminderSchedulerService.TickInterval / 2);
        await service.StopAsync(CancellationToken.None);

        Assert.That(ticked, Is.True);
    }
}
