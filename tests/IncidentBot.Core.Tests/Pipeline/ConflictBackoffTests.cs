using IncidentBot.Core.Pipeline;

namespace IncidentBot.Core.Tests.Pipeline;

public sealed class ConflictBackoffTests
{
    [TestCase(0, 2)]
    [TestCase(1, 4)]
    [TestCase(2, 8)]
    [TestCase(5, 64)]
    [TestCase(6, 100)]
    [TestCase(18, 100)]
    [TestCase(1000, 100)]
    public void Ceiling_DoublesFromTwoMillisecondsUpTo100(int attempt, int milliseconds) =>
        Assert.That(ConflictBackoff.Ceiling(attempt), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [TestCase(0.0, 0)]
    [TestCase(0.25, 2)]
    [TestCase(0.999, 7.992)]
    public void DelayAfter_FullJitter_AnywhereUpToTheCeiling(double unit, double milliseconds) =>
        Assert.That(new ConflictBackoff(TimeProvider.System, () => unit).DelayAfter(2), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [Test]
    public void CanRetry_TwentyAttemptsInAll()
    {
        Assert.That(Enumerable.Range(0, 30).Count(ConflictBackoff.CanRetry), Is.EqualTo(ConflictBackoff.MaxAttempts - 1));
        Assert.That(ConflictBackoff.MaxAttempts, Is.GreaterThanOrEqualTo(20), "enough attempts for a busy incident");
    }

    [Test]
    public void WorstCase_AllWaitsTogether_UnderOneAndAHalfSeconds()
    {
        var total = Enumerable.Range(0, ConflictBackoff.MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, a) => sum + ConflictBackoff.Ceiling(a));
        Assert.That(total, Is.LessThan(TimeSpan.FromSeconds(1.5)));
    }

    [Test]
    public async Task WaitAsync_WaitsOnTheInjectedClock()
    {
        var clock = new TimerClock();
        var backoff = new ConflictBackoff(clock, () => 0.5);

        var wait = backoff.WaitAsync(3, CancellationToken.None);

        Assert.That(clock.DueTimes, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(8) }));
        Assert.That(wait.IsCompleted, Is.False, "waits until the clock's timer fires");
        clock.Fire();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var backoff = new ConflictBackoff(new TimerClock(), () => 1);
        using var cancel = new CancellationTokenSource();

        var wait = backoff.WaitAsync(0, cancel.Token);
        await cancel.CancelAsync();

        Assert.That(async () => await wait, Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>A clock whose timers fire only when the test says so, recording what they were set to.</summary>
    private sealed class TimerClock : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> _timers = [];

        public List<TimeSpan> DueTimes { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            DueTimes.Add(dueTime);
            _timers.Add((callback, state));
            return new NoTimer();
        }

        public void Fire()
        {
            foreach (var (callback, state) in _timers)
            {
                callback(state);
            }
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
