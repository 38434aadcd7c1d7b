using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Tests.FollowUps;

public sealed class FollowUpNudgeTests
{
    private static readonly Person Ada = new("U1", "Ada");

    private static FollowUp Due(DateOnly? due, Person? owner = null, DateOnly? lastNudged = null) => new()
    {
        Number = 1, Text = "x", Owner = owner ?? Ada, Due = due, LastNudgedOn = lastNudged, CreatedBy = Ada, CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Test]
    public void NextNudgeAt_Due_StartOfTheNextUtcDay() =>
        Assert.That(Due(new DateOnly(2026, 12, 24)).NextNudgeAt(), Is.EqualTo(new DateTimeOffset(2026, 12, 25, 0, 0, 0, TimeSpan.Zero)));

    [Test]
    public void NextNudgeAt_NudgedToday_Tomorrow() =>
        Assert.That(Due(new DateOnly(2026, 12, 24), lastNudged: new DateOnly(2026, 12, 30)).NextNudgeAt(), Is.EqualTo(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero)));

    [Test]
    public void NextNudgeAt_DueMovedLaterAfterANudge_FromTheNewDueDate() =>
        Assert.That(Due(new DateOnly(2027, 1, 10), lastNudged: new DateOnly(2026, 12, 30)).NextNudgeAt(), Is.EqualTo(new DateTimeOffset(2027, 1, 11, 0, 0, 0, TimeSpan.Zero)));

    [Test]
    public void NextNudgeAt_NoDueNoOwnerOrClosed_Never()
    {
        Assert.That(Due(null).NextNudgeAt(), Is.Null);
        Assert.That((Due(new DateOnly(2026, 12, 24)) with { Owner = null }).NextNudgeAt(), Is.Null);
        Assert.That((Due(new DateOnly(2026, 12, 24)) with { State = FollowUpState.Done }).NextNudgeAt(), Is.Null);
        Assert.That((Due(new DateOnly(2026, 12, 24)) with { State = FollowUpState.Dropped }).NextNudgeAt(), Is.Null);
    }

    [Test]
    public void IsOverdue_OnlyAfterTheDueDay()
    {
        var followUp = Due(new DateOnly(2026, 12, 24));

        Assert.That(followUp.IsOverdue(new DateOnly(2026, 12, 24)), Is.False);
        Assert.That(followUp.IsOverdue(new DateOnly(2026, 12, 25)), Is.True);
    }
}
