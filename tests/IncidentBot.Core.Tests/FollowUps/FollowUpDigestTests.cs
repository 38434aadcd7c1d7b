using IncidentBot.Core.FollowUps;

namespace IncidentBot.Core.Tests.FollowUps;

public sealed class FollowUpDigestTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Test]
    public void LatestDue_LaterThatDay_TheWeekBefore() =>
        Assert.That(FollowUpDigest.LatestDue(new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.Zero), DayOfWeek.Monday, new TimeOnly(9, 0), Paris),
            Is.EqualTo(new DateTimeOffset(2026, 10, 26, 9, 0, 0, TimeSpan.FromHours(1))));

    [Test]
    public void LatestDue_AcrossTheSummerTimeChange_LocalNineOClock() =>
        Assert.That(FollowUpDigest.LatestDue(new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero), DayOfWeek.Monday, new TimeOnly(9, 0), Paris),
            Is.EqualTo(new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero)));

    [Test]
    public void LatestDue_TimeTheZoneSkips_MovesOnByAnHour() =>
        Assert.That(FollowUpDigest.LatestDue(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero), DayOfWeek.Sunday, new TimeOnly(2, 30), Paris),
            Is.EqualTo(new DateTimeOffset(2026, 3, 29, 3, 30, 0, TimeSpan.FromHours(2))));

    [Test]
    public void Build_NoOpenFollowUp_Nothing() => Assert.That(FollowUpDigest.Build([], new DateOnly(2026, 11, 2)), Is.Null);
}
