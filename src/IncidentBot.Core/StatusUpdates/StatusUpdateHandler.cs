using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.StatusUpdates;

/// <summary>Posts a status update in the incident and to the announcement channel; resets the reminder clock.</summary>
public sealed class StatusUpdateHandler(HandlerServices services) : IncidentHandler<StatusUpdateCommand>
{
    protected override Decision Decide(StatusUpdateCommand command, Incident incident, CommandContext context)
    {
        var now = services.Now;
        var next = incident.NextVersion() with { LastStatusUpdateAt = now };
        var update = StatusUpdateMessages.StatusUpdate(next, context.User, command.Text);
        var messages = new List<OutgoingMessage> { Outgoing.Post(next, update) };
        if (services.ToAnnouncements(next, update) is { } broadcast)
        {
            messages.Add(broadcast);
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = [TimelineEntry.For(next, now, TimelineKind.StatusUpdate, context.User, command.Text)],
            Messages = messages,
            NextReminderAt = services.Reminders.NextDue(next, now),
        };
        return new Decision(change, CommandReply.ShowCard($"Status update posted on {next.Key}.", IncidentMessages.Header(next), next));
    }
}
