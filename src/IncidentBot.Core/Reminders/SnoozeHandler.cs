using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Reminders;

/// <summary>Moves the next reminder out; the reminder clicked on becomes the outcome for everyone.</summary>
public sealed class SnoozeHandler(HandlerServices services) : IncidentHandler<SnoozeCommand>
{
    protected override Decision Decide(SnoozeCommand command, Incident incident, CommandContext context)
    {
        if (!incident.IsOpen)
        {
            return Decision.Refuse($"{incident.Key} is resolved: there are no reminders to snooze.", incident);
        }

        var now = services.Now;
        var next = incident.NextVersion();
        var minutes = (int)command.Duration.TotalMinutes;
        var text = string.Create(CultureInfo.InvariantCulture, $"{context.User.Name} snoozed status-update reminders for {minutes} minutes.");
        var outcome = IncidentMessages.Changed(text);
        var messages = new List<OutgoingMessage> { Outgoing.Post(next, outcome) };
        if (context.SourceMessageId is { Length: > 0 } reminderId)
        {
            // The reminder clicked on shows the outcome for everyone, without its buttons.
            messages.Add(Outgoing.ToIncident(next, ChatOperation.Update, outcome) with
            {
                ConversationId = context.ConversationId,
                ServiceUrl = context.ServiceUrl,
                MessageId = reminderId,
            });
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = [TimelineEntry.For(next, now, TimelineKind.Snoozed, context.User, text)],
            Messages = messages,
            NextReminderAt = now + command.Duration,
        };
        var reply = string.Create(CultureInfo.InvariantCulture, $"Reminders for {next.Key} snoozed for {minutes} minutes.");
        return new Decision(change, CommandReply.ShowCard(reply, new ChatMessage { Text = reply }, next));
    }
}
