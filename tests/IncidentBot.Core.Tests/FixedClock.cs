namespace IncidentBot.Core.Tests;

/// <summary>A clock that stands still: handler decisions read "now" once.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
