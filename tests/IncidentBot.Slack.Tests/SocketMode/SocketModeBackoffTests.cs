using IncidentBot.Slack.SocketMode;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>The reconnect policy: doubling from one second, capped at a minute, jitter in the upper half, Retry-After honoured; waits on the injected clock.</summary>
public sealed class SocketModeBackoffTests
{
    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 4)]
    [TestCase(6, 32)]
    [TestCase(7, 60)]
    [TestCase(1000, 60)]
    public void Delay_AfterFailures_BetweenHalfTheCeilingAndTheCeiling(int failures, int ceilingSeconds)
    {
        var clock = TestClock.Create();

        var lowest = new SocketModeBackoff(clock, () => 0.0).Delay(failures);
        var highest = new SocketModeBackoff(clock, () => 1.0).Delay(failures);

        Assert.That(lowest, Is.EqualTo(TimeSpan.FromSeconds(ceilingSeconds / 2.0)));
        Assert.That(highest, Is.EqualTo(TimeSpan.FromSeconds(ceilingSeconds)));
    }

    [Test]
    public void Delay_Jitter_SpreadsReplicas()
    {
        var clock = TestClock.Create();
        var draws = new Queue<double>([0.1, 0.9]);
        var backoff = new SocketModeBackoff(clock, () => draws.Dequeue());

        var first = backoff.Delay(4);
        var second = backoff.Delay(4);

        Assert.That(first, Is.EqualTo(TimeSpan.FromSeconds(4.4)));
        Assert.That(second, Is.EqualTo(TimeSpan.FromSeconds(7.6)));
    }

    [Test]
    public void RateLimited_RetryAfterGiven_WaitsThatLong_ElseThirtySeconds()
    {
        Assert.That(SocketModeBackoff.RateLimited(TimeSpan.FromSeconds(7)), Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(SocketModeBackoff.RateLimited(null), Is.EqualTo(SocketModeBackoff.RateLimitedDefault));
        Assert.That(SocketModeBackoff.RateLimitedDefault, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task WaitAsync_RunsOnTheInjectedClock()
    {
        var clock = TestClock.Create();
        var backoff = new SocketModeBackoff(clock, () => 1.0);

        var wait = backoff.WaitAsync(backoff.Delay(3), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3.9));
        Assert.That(wait.IsCompleted, Is.False, "not before the fake clock reaches four seconds");

        clock.Advance(TimeSpan.FromSeconds(0.1));
        await wait;
        Assert.That(wait.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void WaitAsync_Cancelled_EndsAtOnce()
    {
        var clock = TestClock.Create();
        using var stop = new CancellationTokenSource();
        var wait = new SocketModeBackoff(clock).WaitAsync(SocketModeBackoff.Cap, stop.Token);

        stop.Cancel();

        Assert.That(async () => await wait, Throws.InstanceOf<OperationCanceledException>());
    }
}
