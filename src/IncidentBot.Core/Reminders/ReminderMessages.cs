using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Reminders;

/// <summary>The nudge to the commander, with Post update and Snooze buttons.</summary>
public static class ReminderMessages
{
    public static ChatMessage Reminder(Incident incident, TimeSpan sinceLastUpdate)
    {
        var value = incident.Id.ToString(CultureInfo.InvariantCulture);
        return new ChatMessage
        {
            Text = incident.Commander.IsAssigned
                ? $"{incident.Commander.Name}, no status update on {incident.Key} for {IncidentMessages.FormatDuration(sinceLastUpdate)}. Stakeholders are waiting: please post one."
                : $"{incident.Key} has no commander and no status update for {IncidentMessages.FormatDuration(sinceLastUpdate)}. Acknowledge it to take command.",
            Mentions = [incident.Commander.Id],
            Buttons =
            [
                new(ActionIds.PostUpdate, "Post update", value, ButtonStyle.Primary),
                new(ActionIds.Snooze15, "Snooze 15 min", value),
                new(ActionIds.Snooze30, "Snooze 30 min", value),
                new(ActionIds.Snooze60, "Snooze 60 min", value),
            ],
        };
    }
}
