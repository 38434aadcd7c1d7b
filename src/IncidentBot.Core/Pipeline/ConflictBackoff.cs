namespace IncidentBot.Core.Pipeline;

/// <summary>
/// How a save that lost a version race to another replica tries again: re-read after a short, fully
/// jittered exponential delay (so replicas that collided do not collide again in step), with enough
/// attempts that a busy incident does not turn a person away.
/// </summary>
public sealed class ConflictBackoff(TimeProvider clock, Func<double>? unitRandom = null)
{
    /// <summary>Attempts in all, the first included; about 1.4 s of waiting at most.</summary>
    public const int MaxAttempts = 20;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(2);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(100);

    private readonly Func<double> _unitRandom = unitRandom ?? Random.Shared.NextDouble;

    /// <summary>Whether attempt <paramref name="attempt"/> (0 = the first) may be followed by another.</summary>
    public static bool CanRetry(int attempt) => attempt + 1 < MaxAttempts;

    /// <summary>The longest wait after attempt <paramref name="attempt"/>: doubling from <see cref="FirstDelay"/>, capped at <see cref="MaxDelay"/>.</summary>
    public static TimeSpan Ceiling(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Clamp(attempt, 0, 16)));

    /// <summary>The wait after attempt <paramref name="attempt"/>: anywhere from zero to its <see cref="Ceiling"/> ("full jitter").</summary>
    public TimeSpan DelayAfter(int attempt) => TimeSpan.FromTicks((long)(Ceiling(attempt).Ticks * _unitRandom()));

    /// <summary>Waits, on the injected clock, before the attempt after <paramref name="attempt"/>.</summary>
    public Task WaitAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(DelayAfter(attempt), clock, cancellationToken);
}
