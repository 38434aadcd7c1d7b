using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Alerts;

/// <summary>Whether an alert (or a notification about a group of them) is firing or resolved.</summary>
public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>One alert of a group, as the alerting system sent it.</summary>
/// <param name="Fingerprint">Identity of the alert within its source (Alertmanager: a hash of the label set).</param>
/// <param name="StartsAt">When it started firing (null when the sender does not say); a new firing after a resolve has a new start.</param>
/// <param name="EndsAt">When it resolved; null while firing.</param>
public sealed record Alert(
    string Fingerprint,
    AlertStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl);

/// <summary>
/// A notification about one group of alerts, whatever system sent it (Alertmanager, Grafana, the generic webhook):
/// what the intake needs to open an incident or add to the one the group already has.
/// </summary>
/// <param name="Source">Who sent it ("Alertmanager", "Grafana", or the generic webhook's <c>source</c>): the timeline's actor.</param>
/// <param name="GroupKey">Identifies the group for as long as it fires (Alertmanager's <c>groupKey</c>, the webhook's dedup key).</param>
/// <param name="Status">Firing when any alert of the notification fires.</param>
/// <param name="Title">The incident's title if this opens one.</param>
/// <param name="Severity">The incident's severity if this opens one.</param>
public sealed record AlertNotification(string Source, string GroupKey, AlertStatus Status, string Title, Severity Severity, IReadOnlyList<Alert> Alerts)
{
    /// <summary>Where the alerting system shows the group (Alertmanager's external URL, the webhook's link).</summary>
    public string? Link { get; init; }

    /// <summary>Alerts the sender left out of this notification (Alertmanager's <c>truncatedAlerts</c>).</summary>
    public int TruncatedAlerts { get; init; }

    public bool AnyFiring => Alerts.Any(a => a.Status == AlertStatus.Firing);
}

/// <summary>Where a route sends a group's incident: the platform and workspace, and optionally its channel and commander.</summary>
/// <param name="Platform">The adapter's platform name.</param>
/// <param name="WorkspaceId">Slack team id or Teams tenant id.</param>
/// <param name="AnnouncementConversationId">Where the declaration is announced instead of the platform's channel.</param>
/// <param name="Commander">The on-call person who commands from the start; null: unassigned until someone acknowledges.</param>
public sealed record AlertTarget(string Platform, string WorkspaceId, string? AnnouncementConversationId = null, Person? Commander = null);

/// <summary>What a notification did.</summary>
public enum AlertResult
{
    /// <summary>It opened an incident.</summary>
    Opened,

    /// <summary>It added new alerts, or resolved ones, to the group's open incident.</summary>
    Updated,

    /// <summary>A repeat: everything in it was already on the open incident's timeline.</summary>
    Unchanged,

    /// <summary>Only resolved alerts, and the group has no open incident: nothing to do.</summary>
    NoOpenIncident,
}

/// <summary>What a notification did, and to which incident.</summary>
public sealed record AlertOutcome(AlertResult Result, Incident? Incident);
