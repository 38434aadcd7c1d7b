using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Tests.Incidents;

public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Declared = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static Incident NewIncident(IncidentState state = IncidentState.Declared) => new()
    {
        Id = 1,
        Platform = "slack",
        WorkspaceId = "T1",
        Number = 7,
        Title = "Checkout errors",
        Commander = new Person("U1", "Ada"),
        DeclaredBy = new Person("U1", "Ada"),
        DeclaredAt = Declared,
        State = state,
    };

    [TestCase(IncidentState.Declared, LifecycleAction.Acknowledge, IncidentState.Acknowledged)]
    [TestCase(IncidentState.Declared, LifecycleAction.Mitigate, IncidentState.Mitigated)]
    [TestCase(IncidentState.Declared, LifecycleAction.Resolve, IncidentState.Resolved)]
    [TestCase(IncidentState.Acknowledged, LifecycleAction.Mitigate, IncidentState.Mitigated)]
    [TestCase(IncidentState.Acknowledged, LifecycleAction.Resolve, IncidentState.Resolved)]
    [TestCase(IncidentState.Mitigated, LifecycleAction.Resolve, IncidentState.Resolved)]
    [TestCase(IncidentState.Resolved, LifecycleAction.Reopen, IncidentState.Acknowledged)]
    public void Apply_AllowedTransition_MovesToTarget(IncidentState from, LifecycleAction action, IncidentState to)
    {
        var outcome = Lifecycle.Apply(NewIncident(from), action, Declared.AddMinutes(5));

        Assert.That(outcome, Is.TypeOf<TransitionApplied>());
        Assert.That(((TransitionApplied)outcome).Incident.State, Is.EqualTo(to));
    }

    [TestCase(IncidentState.Acknowledged, LifecycleAction.Acknowledge)]
    [TestCase(IncidentState.Mitigated, LifecycleAction.Acknowledge)]
    [TestCase(IncidentState.Mitigated, LifecycleAction.Mitigate)]
    [TestCase(IncidentState.Resolved, LifecycleAction.Resolve)]
    [TestCase(IncidentState.Resolved, LifecycleAction.Acknowledge)]
    [TestCase(IncidentState.Declared, LifecycleAction.Reopen)]
    [TestCase(IncidentState.Acknowledged, LifecycleAction.Reopen)]
    public void Apply_IllegalTransition_RefusesWithReadableReasonAndChangesNothing(IncidentState from, LifecycleAction action)
    {
        var incident = NewIncident(from);

        var outcome = Lifecycle.Apply(incident, action, Declared.AddMinutes(5));

        Assert.That(outcome, Is.TypeOf<TransitionRefused>());
        Assert.That(((TransitionRefused)outcome).Reason, Does.Contain("INC-7"));
        Assert.That(incident.State, Is.EqualTo(from));
    }

    [Test]
    public void Apply_ResolveFromDeclared_StampsSkippedMilestonesAtSameInstant()
    {
        var at = Declared.AddMinutes(42);

        var applied = (TransitionApplied)Lifecycle.Apply(NewIncident(), LifecycleAction.Resolve, at);

        Assert.That(applied.MilestonesReached, Is.EqualTo(new[] { IncidentState.Acknowledged, IncidentState.Mitigated, IncidentState.Resolved }));
        Assert.That(applied.Incident.AcknowledgedAt, Is.EqualTo(at));
        Assert.That(applied.Incident.MitigatedAt, Is.EqualTo(at));
        Assert.That(applied.Incident.ResolvedAt, Is.EqualTo(at));
        Assert.That(applied.Incident.TimeToAcknowledge, Is.EqualTo(TimeSpan.FromMinutes(42)));
        Assert.That(applied.Incident.TimeToResolve, Is.EqualTo(TimeSpan.FromMinutes(42)));
    }

    [Test]
    public void Apply_StepByStep_MetricsAreOrdered()
    {
        var incident = NewIncident();
        incident = ((TransitionApplied)Lifecycle.Apply(incident, LifecycleAction.Acknowledge, Declared.AddMinutes(3))).Incident;
        incident = ((TransitionApplied)Lifecycle.Apply(incident, LifecycleAction.Mitigate, Declared.AddMinutes(20))).Incident;
        incident = ((TransitionApplied)Lifecycle.Apply(incident, LifecycleAction.Resolve, Declared.AddMinutes(65))).Incident;

        Assert.That(incident.TimeToAcknowledge, Is.EqualTo(TimeSpan.FromMinutes(3)));
        Assert.That(incident.TimeToMitigate, Is.EqualTo(TimeSpan.FromMinutes(20)));
        Assert.That(incident.TimeToResolve, Is.EqualTo(TimeSpan.FromMinutes(65)));
        Assert.That(incident.TimeToAcknowledge, Is.LessThanOrEqualTo(incident.TimeToMitigate));
        Assert.That(incident.TimeToMitigate, Is.LessThanOrEqualTo(incident.TimeToResolve));
    }

    [Test]
    public void Apply_MitigateFromAcknowledged_KeepsOriginalAcknowledgement()
    {
        var acked = NewIncident(IncidentState.Acknowledged) with { AcknowledgedAt = Declared.AddMinutes(1) };

        var applied = (TransitionApplied)Lifecycle.Apply(acked, LifecycleAction.Mitigate, Declared.AddMinutes(9));

        Assert.That(applied.Incident.AcknowledgedAt, Is.EqualTo(Declared.AddMinutes(1)));
        Assert.That(applied.MilestonesReached, Is.EqualTo(new[] { IncidentState.Mitigated }));
    }

    [Test]
    public void Apply_Reopen_ClearsLaterMilestonesAndKeepsAcknowledgement()
    {
        var resolved = NewIncident(IncidentState.Resolved) with
        {
            AcknowledgedAt = Declared.AddMinutes(1),
            MitigatedAt = Declared.AddMinutes(2),
            ResolvedAt = Declared.AddMinutes(3),
        };

        var applied = (TransitionApplied)Lifecycle.Apply(resolved, LifecycleAction.Reopen, Declared.AddMinutes(30));

        Assert.That(applied.Incident.State, Is.EqualTo(IncidentState.Acknowledged));
        Assert.That(applied.Incident.AcknowledgedAt, Is.EqualTo(Declared.AddMinutes(1)));
        Assert.That(applied.Incident.MitigatedAt, Is.Null);
        Assert.That(applied.Incident.ResolvedAt, Is.Null);
        Assert.That(applied.Incident.IsOpen, Is.True);
    }
}
