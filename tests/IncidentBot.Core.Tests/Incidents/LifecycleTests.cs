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

    /// <summary>
    /// The transition table as the tests expect it, written out independently of <see cref="Lifecycle"/> so an
    /// entry added there by mistake shows up as a refusal test that fails.
    /// </summary>
    private static readonly Dictionary<(IncidentState From, LifecycleAction Action), IncidentState> Allowed = new()
    {
        [(IncidentState.Declared, LifecycleAction.Acknowledge)] = IncidentState.Acknowledged,
        [(IncidentState.Declared, LifecycleAction.Mitigate)] = IncidentState.Mitigated,
        [(IncidentState.Declared, LifecycleAction.Resolve)] = IncidentState.Resolved,
        [(IncidentState.Acknowledged, LifecycleAction.Mitigate)] = IncidentState.Mitigated,
        [(IncidentState.Acknowledged, LifecycleAction.Resolve)] = IncidentState.Resolved,
        [(IncidentState.Mitigated, LifecycleAction.Resolve)] = IncidentState.Resolved,
        [(IncidentState.Resolved, LifecycleAction.Reopen)] = IncidentState.Acknowledged,
        [(IncidentState.Resolved, LifecycleAction.Review)] = IncidentState.Reviewed,
        [(IncidentState.Reviewed, LifecycleAction.Close)] = IncidentState.Closed,
    };

    private static IEnumerable<TestCaseData> AllowedPairs() =>
        Allowed.Select(p => new TestCaseData(p.Key.From, p.Key.Action, p.Value));

    /// <summary>Every (state, action) pair of the two enums that is not in <see cref="Allowed"/>.</summary>
    private static IEnumerable<TestCaseData> RefusedPairs() =>
        from state in Enum.GetValues<IncidentState>()
        from action in Enum.GetValues<LifecycleAction>()
        where !Allowed.ContainsKey((state, action))
        select new TestCaseData(state, action);

    [TestCaseSource(nameof(AllowedPairs))]
    public void Apply_AllowedTransition_MovesToTarget(IncidentState from, LifecycleAction action, IncidentState to)
    {
        var outcome = Lifecycle.Apply(NewIncident(from), action, Declared.AddMinutes(5));

        Assert.That(outcome, Is.TypeOf<TransitionApplied>());
        Assert.That(((TransitionApplied)outcome).Incident.State, Is.EqualTo(to));
        Assert.That(Lifecycle.IsAllowed(from, action), Is.True);
    }

    [TestCaseSource(nameof(RefusedPairs))]
    public void Apply_PairOutsideTheTable_RefusesWithReadableReasonAndChangesNothing(IncidentState from, LifecycleAction action)
    {
        var incident = NewIncident(from);

        var outcome = Lifecycle.Apply(incident, action, Declared.AddMinutes(5));

        Assert.That(outcome, Is.TypeOf<TransitionRefused>());
        Assert.That(((TransitionRefused)outcome).Reason.PlainText, Does.Contain("INC-7"));
        Assert.That(Lifecycle.IsAllowed(from, action), Is.False);
        Assert.That(incident, Is.EqualTo(NewIncident(from)), "a refusal changes nothing");
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
