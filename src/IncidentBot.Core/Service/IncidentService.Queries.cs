using System.Globalization;
using System.Text;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

public sealed partial class IncidentService
{
    /// <summary>Open incidents of the asker's workspace, newest first.</summary>
    public async Task<CommandReply> ListOpenAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var open = await store.ListAsync(context.Platform, context.WorkspaceId, openOnly: true, cancellationToken);
        if (open.Count == 0)
        {
            return CommandReply.Private("No open incidents. :tada:");
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{open.Count} open incident(s):");
        foreach (var incident in open)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- *{incident.Key}* {incident.Title} | {incident.Severity} | {incident.State} | {incident.Commander.Name}");
        }

        return CommandReply.Private(text.ToString());
    }

    /// <summary>
    /// Puts a chat message (pinned, reacted to) or a participant joining on the timeline of the incident
    /// whose conversation it happened in. The same message captured twice is one entry.
    /// </summary>
    /// <returns>True when an entry was added.</returns>
    public async Task<bool> RecordChatEventAsync(CapturedChatEvent chatEvent, CancellationToken cancellationToken)
    {
        var incident = await store.FindByConversationAsync(chatEvent.Platform, chatEvent.ConversationId, cancellationToken);
        if (incident is null)
        {
            return false;
        }

        var entry = Entry(incident, chatEvent.At, chatEvent.Kind, chatEvent.Author, chatEvent.Text, chatEvent.SourceRef);
        return await store.AppendEntryAsync(entry, cancellationToken);
    }

    /// <summary>
    /// Nudges the commanders of claimed due reminders: every nudge, its timeline entry and the next due
    /// instant commit in one transaction for the whole batch. An incident changed meanwhile is retried
    /// alone; one that no longer wants reminders (resolved, Sev4) is dropped, and so is one whose reminder
    /// was rescheduled since the claim (a status update or snooze in between: no "0s since the last one" nudge).
    /// </summary>
    /// <returns>How many nudges were written.</returns>
    public async Task<int> SendRemindersAsync(IReadOnlyList<DueReminder> claimed, CancellationToken cancellationToken)
    {
        var changes = new List<IncidentChange>(claimed.Count);
        foreach (var due in claimed)
        {
            if (ReminderChange(await store.GetAsync(due.IncidentId, cancellationToken), due.ClaimedUntil) is { } change)
            {
                changes.Add(change);
            }
        }

        var results = await store.SaveBatchAsync(changes, cancellationToken);
        var sent = results.Count(r => r == SaveResult.Saved);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] == SaveResult.Conflict && await SendReminderAsync(changes[i].Incident.Id, changes[i].ReminderClaim, cancellationToken))
            {
                sent++;
            }
        }

        if (sent > 0)
        {
            outboxObserver?.MessagesWritten();
        }

        return sent;
    }

    /// <summary>Nudges one incident's commander, re-reading on conflict; with a claim, only while the reminder still holds it.</summary>
    public async Task<bool> SendReminderAsync(long incidentId, DateTimeOffset? claim, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                await _backoff.WaitAsync(attempt - 1, cancellationToken);
            }

            using var turn = await _gate.EnterAsync(incidentId, cancellationToken);
            if (ReminderChange(turn.HandedOn() ?? await store.GetAsync(incidentId, cancellationToken), claim) is not { } change)
            {
                return false;
            }

            switch (await turn.SaveAsync(store, change, cancellationToken))
            {
                case SaveResult.Saved:
                    outboxObserver?.MessagesWritten();
                    return true;
                case SaveResult.Conflict when ConflictBackoff.CanRetry(attempt):
                    continue;
                default:
                    return false;
            }
        }
    }

    private IncidentChange? ReminderChange(Incident? incident, DateTimeOffset? claim)
    {
        if (incident is null || reminders.IntervalFor(incident) is not { } interval)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var since = now - incident.LastStatusUpdateAt;
        var next = Bump(incident);
        return new IncidentChange
        {
            Incident = next,
            Entries = [Entry(next, now, TimelineKind.ReminderSent, Person.Bot, $"Reminded {incident.Commander.Name} to post a status update ({IncidentMessages.FormatDuration(since)} since the last one).")],
            Messages = [ToIncident(next, ChatOperation.Post, IncidentMessages.Reminder(next, since))],

            // Counted from now, not from the missed due instant: downtime yields one catch-up nudge, not a burst.
            NextReminderAt = now + interval,
            ReminderClaim = claim,
        };
    }

    /// <summary>Whether the conversation is an incident's own (where chat events are captured).</summary>
    public async Task<bool> IsIncidentConversationAsync(string platform, string conversationId, CancellationToken cancellationToken) =>
        await store.FindByConversationAsync(platform, conversationId, cancellationToken) is not null;

    /// <summary>Whether an inbound event (Slack event_id, Teams activity id) has not been handled yet.</summary>
    public async Task<bool> IsNewInboundAsync(string eventId, CancellationToken cancellationToken) =>
        !await store.WasInboundProcessedAsync(eventId, cancellationToken);

    /// <summary>Remembers an inbound event as handled, after its effects committed, so redeliveries are no-ops.</summary>
    public Task MarkInboundProcessedAsync(string eventId, CancellationToken cancellationToken) =>
        store.TryRecordInboundAsync(eventId, cancellationToken);

    /// <summary>The incident by its workspace number.</summary>
    public Task<Incident?> GetAsync(string platform, string workspaceId, int number, CancellationToken cancellationToken) =>
        store.GetByNumberAsync(platform, workspaceId, number, cancellationToken);

    /// <summary>Time zone of postmortem timelines when the asker names none (configured; UTC by default).</summary>
    public TimeZoneInfo DefaultTimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The postmortem draft of an incident, in <paramref name="timeZone"/> or the configured default.</summary>
    public async Task<PostmortemDraft> ExportPostmortemAsync(Incident incident, TimeZoneInfo? timeZone, CancellationToken cancellationToken)
    {
        var timeline = await store.GetTimelineAsync(incident.Id, cancellationToken);
        return PostmortemWriter.Build(incident, timeline, timeZone ?? DefaultTimeZone);
    }

    private async Task<Decision> DecidePostmortemAsync(Incident incident, string? timeZoneId, CancellationToken cancellationToken)
    {
        TimeZoneInfo zone = DefaultTimeZone;
        if (timeZoneId is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out zone!))
        {
            return Decision.ReplyOnly(CommandReply.Private($"Unknown time zone `{timeZoneId}`. Use an IANA name such as `Europe/Paris`.", incident));
        }

        var draft = await ExportPostmortemAsync(incident, zone, cancellationToken);
        var next = Bump(incident);
        var upload = ToIncident(next, ChatOperation.UploadFile) with
        {
            File = new ChatFile($"{incident.Key}-postmortem.md", $"{incident.Key} postmortem draft", PostmortemWriter.ToMarkdown(draft)),
        };
        var reply = incident.IsOpen
            ? $"{incident.Key} is not resolved yet: here is the current draft; it will be final after resolve."
            : $"The {incident.Key} postmortem draft is being uploaded to this conversation.";
        return new Decision(Keep(next) with { Messages = [upload] }, CommandReply.Private(reply, next));
    }
}
