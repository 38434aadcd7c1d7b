using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Reminders;

/// <summary>
/// Nudges the commanders of claimed due reminders: every nudge, its timeline entry and the next due instant
/// commit in one transaction for the whole batch. An incident changed meanwhile is retried alone; one that no
/// longer wants reminders (resolved, Sev4) is dropped, and so is one whose reminder was rescheduled since the
/// claim (a status update or snooze in between: no "0s since the last one" nudge).
/// </summary>
public sealed class ReminderNudges(HandlerServices services)
{
    /// <returns>How many nudges were written.</returns>
    public async Task<int> SendAsync(IReadOnlyList<DueReminder> claimed, CancellationToken cancellationToken)
    {
        var changes = new List<IncidentChange>(claimed.Count);
        foreach (var due in claimed)
        {
            if (Change(await services.Store.GetAsync(due.IncidentId, cancellationToken), due.ClaimedUntil) is { } change)
            {
                changes.Add(change);
            }
        }

        var results = await services.Store.SaveBatchAsync(changes, cancellationToken);
        var sent = results.Count(r => r == SaveResult.Saved);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] == SaveResult.Saved)
            {
                // Saved outside the incident's turn: a command that read the incident before must read it again.
                services.Gate.Wrote(changes[i].Incident);
            }

            if (results[i] == SaveResult.Conflict && await SendOneAsync(changes[i].Incident.Id, changes[i].ReminderClaim, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>Nudges one incident's commander in its turn, re-reading on conflict; with a claim, only while the reminder still holds it.</summary>
    public Task<bool> SendOneAsync(long incidentId, DateTimeOffset? claim, CancellationToken cancellationToken) =>
        services.SaveInTurnAsync(incidentId, incident => Change(incident, claim), cancellationToken);

    private IncidentChange? Change(Incident? incident, DateTimeOffset? claim)
    {
        if (incident is null || services.Reminders.IntervalFor(incident) is not { } interval)
        {
            return null;
        }

        var now = services.Now;
        var since = now - incident.LastStatusUpdateAt;
        var next = incident.NextVersion();
        return new IncidentChange
        {
            Incident = next,
            Entries = [TimelineEntry.For(next, now, TimelineKind.ReminderSent, Person.Bot, incident.Commander.IsAssigned
                ? $"Reminded {incident.Commander.Name} to post a status update ({IncidentMessages.FormatDuration(since)} since the last one)."
                : $"Reminded the responders that no one has acknowledged ({IncidentMessages.FormatDuration(since)} since the declaration).")],
            Messages = [Outgoing.Post(next, ReminderMessages.Reminder(next, since))],

            // Counted from now, not from the missed due instant: downtime yields one catch-up nudge, not a burst.
            NextReminderAt = now + interval,
            ReminderClaim = claim,
        };
    }
}
