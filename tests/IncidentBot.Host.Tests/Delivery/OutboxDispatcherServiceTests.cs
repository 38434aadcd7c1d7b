using IncidentBot.Core.Ports;
using IncidentBot.Host.Delivery;
using IncidentBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace IncidentBot.Host.Tests.Delivery;

/// <summary>The delivery loop wakes on the outbox signal at once, and otherwise when the injected clock passes its poll interval.</summary>
public sealed class OutboxDispatcherServiceTests
{
    [Test]
    public async Task Loop_SignalThenClock_EachWakesItToClaimAgain()
    {
        var clock = TestClock.Create();
        var claims = 0;
        var store = new Mock<IIncidentStore>();
        store.Setup(s => s.ClaimOutboxAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                Interlocked.Increment(ref claims);
                return Array.Empty<OutboxItem>();
            });
        using var signal = new OutboxSignal();
        using var service = new OutboxDispatcherService(new OutboxDispatcher(store.Object, [], clock, NullLogger<OutboxDispatcher>.Instance), signal, clock, NullLogger<OutboxDispatcherService>.Instance);

        await service.StartAsync(CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => Volatile.Read(ref claims) == 1), Is.True, "the first claim runs at start");

        signal.Notify();
        var woken = await Poll.UntilAsync(() => Volatile.Read(ref claims) == 2);
        var polled = await Poll.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return Volatile.Read(ref claims) >= 3;
        });
        await service.StopAsync(CancellationToken.None);

        Assert.That((woken, polled), Is.EqualTo((true, true)));
    }
}
