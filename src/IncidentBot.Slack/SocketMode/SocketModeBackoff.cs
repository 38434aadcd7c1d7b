namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// How long a Socket Mode connection waits before its next try: doubling from <see cref="First"/> up to
/// <see cref="Cap"/>, the upper half random so replicas do not retry in step; Slack's Retry-After on a 429.
/// The wait runs on the injected clock.
/// </summary>
internal sealed class SocketModeBackoff(TimeProvider clock, Func<double> random)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    /// <summary>apps.connections.open is Tier 1: without a Retry-After, wait what the python SDK waits.</summary>
    public static readonly TimeSpan RateLimitedDefault = TimeSpan.FromSeconds(30);

    public SocketModeBackoff(TimeProvider clock)
        : this(clock, Random.Shared.NextDouble)
    {
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 or more): between half the ceiling and the ceiling.</summary>
    public TimeSpan Delay(int failures)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random() * ceiling / 2));
    }

    /// <summary>The wait after a 429: Slack's Retry-After when it gave one.</summary>
    public static TimeSpan RateLimited(TimeSpan? retryAfter) => retryAfter is { } wait && wait > TimeSpan.Zero ? wait : RateLimitedDefault;

    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, clock, cancellationToken);
}
