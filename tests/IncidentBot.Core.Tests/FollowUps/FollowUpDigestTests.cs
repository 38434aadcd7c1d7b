using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

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

    [Test]
    public void Build_OverdueOwner_MentionedInTheirLine_OthersNamedAsText()
    {
        var ada = new Person("U1", "Ada");
        var grace = new Person("U2", "Grace");
        FollowUp Item(int number, Person owner, DateOnly due) => new() { Number = number, Text = $"item {number}", Owner = owner, Due = due, CreatedBy = ada, CreatedAt = DateTimeOffset.UnixEpoch };
        var today = new DateOnly(2026, 11, 2);
        var incident = new Incident
        {
            Platform = "slack", WorkspaceId = "T1", Number = 1, Title = "x", Commander = ada, DeclaredBy = ada,
            FollowUps = [Item(1, ada, today.AddDays(3)), Item(2, grace, today.AddDays(-1))],
        };

        var digest = FollowUpDigest.Build([incident], today)!;

        Assert.That(digest.Text.Runs.OfType<MentionRun>().Select(m => m.Person), Is.EqualTo(new[] { grace }));
        Assert.That(digest.Text.PlainText, Does.Contain("INC-1 2 item 2 | Grace | due 2026-11-01 (overdue)").And.Contain("INC-1 1 item 1 | Ada | due 2026-11-05"));
        Assert.That(digest.Mentions, Is.EqualTo(new[] { "U2" }));
    }
}
