using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Testing;

/// <summary>The instant every test clock starts at; tests move it with Advance / SetUtcNow.</summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A <see cref="FakeTimeProvider"/> at <see cref="Start"/>: its timers fire only when a test advances it.</summary>
    public static FakeTimeProvider Create() => new(Start);
}
