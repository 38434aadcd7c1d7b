using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Incidents;

/// <summary>Changes severity: header, a post, the announcement channel, and the reminder interval.</summary>
public sealed class SeverityHandler(HandlerServices services) : IncidentHandler<SeverityCommand>
{
    protected override Decision Decide(SeverityCommand command, Incident incident, CommandContext context)
    {
        var severity = command.Severity;
        if (severity == incident.Severity)
        {
            return Decision.Refuse($"{incident.Key} is already {severity}.", incident);
        }

        var now = services.Now;
        var next = incident.NextVersion() with { Severity = severity };
        var text = $"{context.User.Name} changed severity from {incident.Severity} to {severity}.";
        var messages = new List<OutgoingMessage>(Outgoing.HeaderRefresh(next)) { Outgoing.Post(next, IncidentMessages.Changed(text)) };
        if (services.ToAnnouncements(next, IncidentMessages.Changed($"{next.Key}: {text}") with { LinksIncidentConversation = true }) is { } broadcast)
        {
            messages.Add(broadcast);
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = [TimelineEntry.For(next, now, TimelineKind.SeverityChanged, context.User, text)],
            Messages = messages,
            NextReminderAt = services.Reminders.NextDue(next, now),
        };
        return new Decision(change, CommandReply.Private($"{next.Key} is now {severity}.", next));
    }
}
