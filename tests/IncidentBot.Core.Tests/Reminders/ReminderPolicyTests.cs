using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;

namespace IncidentBot.Core.Tests.Reminders;

public sealed class ReminderPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static Incident Incident(Severity severity, IncidentState state = IncidentState.Declared) => new()
    {
        Platform = "slack",
        WorkspaceId = "T1",
        Title = "x",
        Severity = severity,
        State = state,
        Commander = new Person("U1", "Ada"),
        DeclaredBy = new Person("U1", "Ada"),
    };

    [TestCase(Severity.Sev1, 15)]
    [TestCase(Severity.Sev2, 30)]
    [TestCase(Severity.Sev3, 60)]
    public void NextDue_DefaultIntervals_FollowSeverity(Severity severity, int minutes) =>
        Assert.That(ReminderPolicy.Default.NextDue(Incident(severity), Now), Is.EqualTo(Now.AddMinutes(minutes)));

    [Test]
    public void NextDue_Sev4_None() => Assert.That(ReminderPolicy.Default.NextDue(Incident(Severity.Sev4), Now), Is.Null);

    [Test]
    public void NextDue_Resolved_None() =>
        Assert.That(ReminderPolicy.Default.NextDue(Incident(Severity.Sev1, IncidentState.Resolved), Now), Is.Null);

    [Test]
    public void NextDue_Mitigated_TwiceTheInterval() =>
        Assert.That(ReminderPolicy.Default.NextDue(Incident(Severity.Sev1, IncidentState.Mitigated), Now), Is.EqualTo(Now.AddMinutes(30)));

    [Test]
    public void NextDue_ZeroInterval_MeansNone()
    {
        var policy = new ReminderPolicy(new Dictionary<Severity, TimeSpan?> { [Severity.Sev1] = TimeSpan.Zero });

        Assert.That(policy.NextDue(Incident(Severity.Sev1), Now), Is.Null);
    }
}
