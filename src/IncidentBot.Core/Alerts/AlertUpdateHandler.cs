using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Alerts;

/// <summary>
/// Adds a group's new alerts (firing, or resolved) to its open incident's timeline and tells its conversation. A
/// notification repeated by the sender finds every alert already recorded and changes nothing. A resolved group does
/// not resolve the incident: people do.
/// </summary>
public sealed class AlertUpdateHandler(HandlerServices services) : ReadingIncidentHandler<AlertUpdateCommand>
{
    protected override async Task<Decision> DecideAsync(AlertUpdateCommand command, Incident incident, CommandContext context, CancellationToken cancellationToken)
    {
        var notification = command.Notification;
        var timeline = await services.Store.GetTimelineAsync(incident.Id, cancellationToken);
        var recorded = timeline.Where(e => e.SourceRef is not null).Select(e => e.SourceRef!).ToHashSet(StringComparer.Ordinal);
        var fresh = notification.Alerts
            .Select(a => (Alert: a, Ref: AlertRefs.Alert(notification, a)))
            .DistinctBy(a => a.Ref)
            .Where(a => !recorded.Contains(a.Ref))
            .Select(a => a.Alert)
            .ToList();
        if (fresh.Count == 0)
        {
            return Decision.ReplyOnly(CommandReply.AlreadyHandled(incident));
        }

        var next = incident.NextVersion();
        var groupResolved = notification.Status == AlertStatus.Resolved;
        var change = new IncidentChange
        {
            Incident = next,
            Entries = AlertMessages.AlertEntries(next, notification, fresh, services.Now).ToList(),
            Messages = [Outgoing.Post(next, AlertMessages.Update(notification, fresh, groupResolved))],
            KeepsReminder = true,
        };
        return new Decision(change, CommandReply.Private($"Added {fresh.Count} alert changes to {next.Key}.", next));
    }
}
