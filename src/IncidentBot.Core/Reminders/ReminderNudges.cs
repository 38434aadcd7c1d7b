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
    /// <remarks>
    /// Each incident's nudge is decided and saved in its turn, as every other change: on a store that commits in order,
    /// a turn hands its incident on to the next before it commits, trusting that nothing else in the process writes the
    /// version it made. A nudge saved beside the turns could write that version first; the turn's change would then fail
    /// while the next one, decided on it, succeeded and stored half of it. The batch takes only the turns free now, so
    /// an incident never waits for another's command; a busy one is nudged alone once its turn comes.
    /// </remarks>
    public async Task<int> SendAsync(IReadOnlyList<DueReminder> claimed, CancellationToken cancellationToken)
    {
        var turns = new List<IncidentTurn>(claimed.Count);
        var changes = new List<(IncidentTurn Turn, IncidentChange Change)>(claimed.Count);
        var busy = new List<DueReminder>();
        IReadOnlyList<SaveResult> results;
        try
        {
            foreach (var due in claimed.DistinctBy(d => d.IncidentId))
            {
                if (services.Gate.TryEnter(due.IncidentId) is not { } turn)
                {
                    busy.Add(due);
                    continue;
                }

                turns.Add(turn);
                if (Change(turn.HandedOn() ?? await services.Store.GetAsync(due.IncidentId, cancellationToken), due.ClaimedUntil) is { } change)
                {
                    changes.Add((turn, change));
                }
            }

            try
            {
                results = changes.Count == 0 ? [] : await services.Store.SaveBatchAsync(changes.ConvertAll(c => c.Change), cancellationToken);
            }
            catch
            {
                // Some nudges may have committed (a store that retries a failed batch change by change): what was handed
                // on may be older than the store, so each turn's next reads it.
                foreach (var (turn, _) in changes)
                {
                    turn.SaveFailed();
                }

                throw;
            }

            for (var i = 0; i < results.Count; i++)
            {
                changes[i].Turn.Saved(changes[i].Change, results[i]);
            }
        }
        finally
        {
            foreach (var turn in turns)
            {
                turn.Dispose();
            }
        }

        // Busy when the batch ran, or changed meanwhile by another replica: each decided alone, in a turn of its own.
        var alone = busy.ConvertAll(d => (d.IncidentId, Claim: (DateTimeOffset?)d.ClaimedUntil));
        alone.AddRange(changes.Where((_, i) => results[i] == SaveResult.Conflict).Select(c => (c.Change.Incident.Id, Claim: c.Change.ReminderClaim)));
        var sent = results.Count(r => r == SaveResult.Saved);
        foreach (var (incidentId, claim) in alone)
        {
            if (await SendOneAsync(incidentId, claim, cancellationToken))
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
