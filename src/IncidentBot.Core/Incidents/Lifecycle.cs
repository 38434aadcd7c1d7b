using IncidentBot.Core.Messaging;
using System.Collections.Frozen;

namespace IncidentBot.Core.Incidents;

/// <summary>What a person asks of the lifecycle.</summary>
public enum LifecycleAction
{
    Acknowledge,
    Mitigate,
    Resolve,
    Reopen,

    /// <summary>After resolve: the postmortem was reviewed.</summary>
    Review,

    /// <summary>After review: done with; open follow-ups stay tracked.</summary>
    Close,
}

/// <summary>The outcome of asking the lifecycle for a transition.</summary>
public abstract record TransitionOutcome;

/// <summary>The transition happened: the new incident and every milestone it stamped, in order.</summary>
public sealed record TransitionApplied(Incident Incident, IReadOnlyList<IncidentState> MilestonesReached) : TransitionOutcome;

/// <summary>The transition is not allowed; <see cref="Reason"/> is fit to show the person who asked.</summary>
public sealed record TransitionRefused(RichText Reason) : TransitionOutcome;

/// <summary>
/// The incident lifecycle as one transition table (Create -> Acknowledge -> Mitigate -> Resolve,
/// Resolve -> Reopen, and after the incident Resolve -> Review -> Close). Moving forward past a live state
/// stamps that state's milestone at the same instant, so TTA &lt;= TTM &lt;= TTR always holds; review and close
/// are never skipped to, so TTR &lt;= time to review &lt;= time to close.
/// </summary>
public static class Lifecycle
{
    private static readonly FrozenDictionary<(IncidentState From, LifecycleAction Action), IncidentState> Table =
        new Dictionary<(IncidentState, LifecycleAction), IncidentState>
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
        }.ToFrozenDictionary();

    /// <summary>Whether <paramref name="action"/> is allowed from <paramref name="state"/>.</summary>
    public static bool IsAllowed(IncidentState state, LifecycleAction action) => Table.ContainsKey((state, action));

    /// <summary>Applies <paramref name="action"/> at <paramref name="now"/> (by <paramref name="actor"/>, who a review records), or refuses it without changing anything.</summary>
    public static TransitionOutcome Apply(Incident incident, LifecycleAction action, DateTimeOffset now, Person? actor = null)
    {
        if (!Table.TryGetValue((incident.State, action), out var target))
        {
            return new TransitionRefused(RefusalFor(incident, action));
        }

        if (action == LifecycleAction.Reopen)
        {
            // Reopening keeps the original acknowledgement but clears later milestones,
            // which will be stamped again when the incident is mitigated and resolved anew.
            var reopened = incident with { State = target, MitigatedAt = null, ResolvedAt = null, LastStatusUpdateAt = now };
            return new TransitionApplied(reopened, [IncidentState.Acknowledged]);
        }

        var reached = new List<IncidentState>(3);
        var next = incident;
        for (var state = incident.State + 1; state <= target; state++)
        {
            reached.Add(state);
            next = state switch
            {
                IncidentState.Acknowledged => next with { AcknowledgedAt = now },
                IncidentState.Mitigated => next with { MitigatedAt = now },
                IncidentState.Resolved => next with { ResolvedAt = now },
                IncidentState.Reviewed => next with { ReviewedAt = now, ReviewedBy = actor },
                IncidentState.Closed => next with { ClosedAt = now },
                _ => next,
            };
        }

        return new TransitionApplied(next with { State = target }, reached);
    }

    private static RichText RefusalFor(Incident incident, LifecycleAction action) => (incident.State, action) switch
    {
        (IncidentState.Closed, _) => RichText.Of($"{incident.Key} is closed. If it is back, declare a new incident with {Run.Code("declare <title>")}."),
        (IncidentState.Reviewed, LifecycleAction.Review) => $"{incident.Key} is already reviewed.",
        (IncidentState.Reviewed, _) => RichText.Of($"{incident.Key} is reviewed: {Run.Code("close")} it, or declare a new incident if it is back."),
        (IncidentState.Resolved, LifecycleAction.Close) => RichText.Of($"{incident.Key} is not reviewed yet: {Run.Code("review")} the postmortem first, then {Run.Code("close")}."),
        (_, LifecycleAction.Review) => RichText.Of($"{incident.Key} is {incident.State.ToString().ToLowerInvariant()}: it can be reviewed once resolved."),
        (_, LifecycleAction.Close) => RichText.Of($"{incident.Key} is {incident.State.ToString().ToLowerInvariant()}: resolve it and {Run.Code("review")} the postmortem before closing."),
        (IncidentState.Resolved, _) => RichText.Of($"{incident.Key} is already resolved. Use {Run.Code("reopen")} if it is back."),
        (_, LifecycleAction.Reopen) => $"{incident.Key} is not resolved ({incident.State}), so there is nothing to reopen.",
        (_, LifecycleAction.Acknowledge) => $"{incident.Key} is already {incident.State.ToString().ToLowerInvariant()}.",
        (_, LifecycleAction.Mitigate) => $"{incident.Key} is already {incident.State.ToString().ToLowerInvariant()}.",
        _ => $"{incident.Key} cannot be {Verb(action)} while {incident.State.ToString().ToLowerInvariant()}.",
    };

    private static string Verb(LifecycleAction action) => action switch
    {
        LifecycleAction.Acknowledge => "acknowledged",
        LifecycleAction.Mitigate => "mitigated",
        LifecycleAction.Resolve => "resolved",
        LifecycleAction.Review => "reviewed",
        LifecycleAction.Close => "closed",
        _ => "reopened",
    };
}
