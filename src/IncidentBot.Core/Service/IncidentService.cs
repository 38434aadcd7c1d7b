using IncidentBot.Core.Alerts;
using IncidentBot.Core.Capture;
using IncidentBot.Core.Commands;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;

namespace IncidentBot.Core.Service;

/// <summary>
/// The pipeline every command goes through, and what the edges call. A command goes to its handler from
/// <see cref="CommandTable"/>; for an incident's command the pipeline does the shared steps once: skip a
/// repeated inbound id, load the incident, let the handler decide, then save the incident, its timeline
/// entries and the messages it owes in one store transaction (the outbox dispatcher delivers them later),
/// deciding again when another writer changed the incident first.
/// </summary>
public sealed partial class IncidentService
{
    private readonly HandlerServices _services;
    private readonly CommandTable _table;
    private readonly IOutboxObserver? _outboxObserver;
    private readonly ReminderNudges _reminders;
    private readonly FollowUpNudges _followUpNudges;
    private readonly FollowUpTracker _tracker;
    private readonly ChatCapture _capture;
    private readonly DeclareHandler _declare;
    private readonly PostmortemHandler _postmortem;
    private readonly AlertUpdateHandler _alerts;

    public IncidentService(IIncidentStore store, TimeProvider clock, ReminderPolicy reminders, IEnumerable<PlatformSettings> platforms, IOutboxObserver? outboxObserver = null)
    {
        _services = new HandlerServices(store, clock, reminders, platforms);
        _table = CommandTable.Create(_services);
        _outboxObserver = outboxObserver;
        _reminders = new ReminderNudges(_services);
        _followUpNudges = new FollowUpNudges(_services);
        _tracker = new FollowUpTracker(_services);
        _capture = new ChatCapture(_services);
        _declare = _table.Get<DeclareHandler>();
        _postmortem = _table.Get<PostmortemHandler>();
        _alerts = _table.Get<AlertUpdateHandler>();
    }

    /// <summary>Time zone of postmortem timelines when the asker names none (configured; UTC by default).</summary>
    public TimeZoneInfo DefaultTimeZone
    {
        get => _services.DefaultTimeZone;
        init => _services.DefaultTimeZone = value;
    }

    /// <summary>Whether follow-ups are mirrored to an issue tracker: adding one creates its issue, done and drop close it.</summary>
    public bool MirrorsFollowUps
    {
        get => _services.MirrorsFollowUps;
        init => _services.MirrorsFollowUps = value;
    }

    private IIncidentStore Store => _services.Store;

    /// <summary>Records a follow-up's created tracker issue (its link) and refreshes its message; see <see cref="FollowUpTracker"/>.</summary>
    public Task<bool> RecordTrackerIssueAsync(long incidentId, int number, string url, CancellationToken cancellationToken) =>
        NotifiedAsync(_tracker.RecordIssueAsync(incidentId, number, url, cancellationToken));

    /// <summary>The tracker says the follow-up's issue was closed (or reopened): the follow-up follows, once per <paramref name="eventId"/>.</summary>
    public Task<bool> TrackerIssueChangedAsync(long incidentId, int number, string url, bool closed, string who, string? eventId, CancellationToken cancellationToken) =>
        NotifiedAsync(closed
            ? _tracker.IssueClosedAsync(incidentId, number, url, who, eventId, cancellationToken)
            : _tracker.IssueReopenedAsync(incidentId, number, url, who, eventId, cancellationToken));

    private async Task<bool> NotifiedAsync(Task<bool> saving)
    {
        var saved = await saving;
        if (saved)
        {
            _outboxObserver?.MessagesWritten();
        }

        return saved;
    }

    /// <summary>Runs a parsed command typed in <paramref name="context"/>'s conversation.</summary>
    public Task<CommandReply> ExecuteAsync(Command command, CommandContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(command, context, incidentId: null, cancellationToken);

    /// <summary>
    /// Runs a command for a known incident (a button click carries the incident id), or for the
    /// incident whose conversation the command was typed in when <paramref name="incidentId"/> is null.
    /// </summary>
    public async Task<CommandReply> ExecuteAsync(Command command, CommandContext context, long? incidentId, CancellationToken cancellationToken)
    {
        var reply = _table.For(command) switch
        {
            IStandaloneHandler standalone => await standalone.HandleAsync(command, context, cancellationToken),
            IIncidentHandler handler => await RunAsync(handler, command, context, incidentId, cancellationToken),
            var other => throw new InvalidOperationException($"{other.GetType().Name} is neither a standalone nor an incident handler."),
        };
        return Notified(reply);
    }

    /// <summary>Declares an incident from a submitted form (or a typed command): numbered, its conversation opened, header pinned, announced.</summary>
    public async Task<CommandReply> DeclareAsync(DeclareRequest request, CommandContext context, CancellationToken cancellationToken) =>
        Notified(await _declare.DeclareAsync(request, context, cancellationToken));

    private async Task<CommandReply> RunAsync(IIncidentHandler handler, Command command, CommandContext context, long? incidentId, CancellationToken cancellationToken)
    {
        if (context.InboundEventId is { } eventId && await Store.WasInboundProcessedAsync(eventId, cancellationToken))
        {
            // A redelivery (Teams retries an invoke it thinks timed out): the first delivery already answered.
            return CommandReply.AlreadyHandled();
        }

        // Typed in a conversation: find its incident to know whose turn to take. In the turn, that read is decided on
        // when nothing this process wrote since is newer; otherwise (and after a conflict) the incident is read again.
        var found = incidentId is null ? await Store.FindByConversationAsync(context.Platform, context.ConversationId, cancellationToken) : null;
        if ((incidentId ?? found?.Id) is not { } id)
        {
            return NotInIncident;
        }

        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                // Another replica changed the incident first: wait a jittered moment outside the turn, then decide again.
                await _services.Backoff.WaitAsync(attempt - 1, cancellationToken);
            }

            // Changes to one incident take turns in this process, so writers here never race each other.
            using var turn = await _services.Gate.EnterAsync(id, cancellationToken);
            var incident = turn.HandedOn()
                ?? (attempt == 0 && found is not null && _services.Gate.IsCurrent(found) ? found : await Store.GetAsync(id, cancellationToken));
            if (incident is null || incident.Platform != context.Platform || incident.WorkspaceId != context.WorkspaceId)
            {
                return NotInIncident;
            }

            var decision = await handler.DecideAsync(command, incident, context, cancellationToken);
            if (decision.Change is null)
            {
                return decision.Reply;
            }

            var result = await turn.SaveAsync(Store, decision.Change with { InboundEventId = context.InboundEventId }, cancellationToken);
            switch (result)
            {
                case SaveResult.Saved:
                    return decision.Reply with { Incident = decision.Change.Incident, Changed = true };
                case SaveResult.Duplicate:
                    return CommandReply.AlreadyHandled(incident);
                case SaveResult.Conflict when ConflictBackoff.CanRetry(attempt):
                    continue;
                default:
                    return CommandReply.Private($"{incident.Key} is changing fast right now; please try again.", incident);
            }
        }
    }

    /// <summary>
    /// Takes a notification about a group of alerts: while the group's last incident is open, adds what is new in it
    /// there; otherwise, when something fires, opens an incident on <paramref name="target"/> (state Declared, the
    /// alerts first on its timeline). Only one of several requests for a group at the same moment opens it, on any
    /// replica: the opening is recorded as an inbound event naming the group and the incident before it.
    /// </summary>
    public async Task<AlertOutcome> ReceiveAlertsAsync(AlertNotification notification, AlertTarget target, CancellationToken cancellationToken)
    {
        var actor = AlertMessages.Actor(notification);
        for (var attempt = 0; ; attempt++)
        {
            var latest = await Store.FindBySourceRefAsync(AlertRefs.Group(notification), cancellationToken);
            if (latest is { IsOpen: true })
            {
                var context = new CommandContext(latest.Platform, latest.WorkspaceId, latest.ConversationId ?? "", actor);
                var reply = Notified(await RunAsync(_alerts, new AlertUpdateCommand(notification), context, latest.Id, cancellationToken));
                return new AlertOutcome(reply.Changed ? AlertResult.Updated : AlertResult.Unchanged, reply.Incident ?? latest);
            }

            if (!notification.AnyFiring)
            {
                return new AlertOutcome(AlertResult.NoOpenIncident, latest);
            }

            var origin = target.AnnouncementConversationId ?? _services.SettingsFor(target.Platform).AnnouncementConversationId ?? "";
            var opening = new CommandContext(target.Platform, target.WorkspaceId, origin, actor, AlertRefs.Opening(notification, latest?.Id ?? 0));
            var declared = Notified(await _declare.DeclareAsync(AlertMessages.Declaration(notification, target, _services.Now), opening, cancellationToken));
            if (declared.Changed && declared.Incident is { } opened)
            {
                return new AlertOutcome(AlertResult.Opened, opened);
            }

            // Another request for the group opened it a moment ago: add to that one.
            if (attempt >= 2)
            {
                throw new InvalidOperationException("The alert group's incident was opened elsewhere but cannot be found.");
            }
        }
    }

    private static readonly CommandReply NotInIncident = CommandReply.Private(
        RichText.Of($"This command works inside an incident's conversation. Run it there, or use {Run.Code("list")} to find the incident."));

    /// <summary>Wakes the dispatcher when a change wrote messages to the outbox.</summary>
    private CommandReply Notified(CommandReply reply)
    {
        if (reply.Changed)
        {
            _outboxObserver?.MessagesWritten();
        }

        return reply;
    }

    /// <summary>Puts a captured chat message on its incident's timeline; see <see cref="ChatCapture"/>.</summary>
    /// <returns>True when an entry was added.</returns>
    public Task<bool> RecordChatEventAsync(CapturedChatEvent chatEvent, CancellationToken cancellationToken) =>
        _capture.RecordAsync(chatEvent, cancellationToken);

    /// <summary>Nudges the commanders of claimed due reminders; see <see cref="ReminderNudges"/>.</summary>
    /// <returns>How many nudges were written.</returns>
    public async Task<int> SendRemindersAsync(IReadOnlyList<DueReminder> claimed, CancellationToken cancellationToken)
    {
        var sent = await _reminders.SendAsync(claimed, cancellationToken);
        if (sent > 0)
        {
            _outboxObserver?.MessagesWritten();
        }

        return sent;
    }

    /// <summary>Nudges the owners of claimed overdue follow-ups; see <see cref="FollowUpNudges"/>.</summary>
    /// <returns>How many nudges were written.</returns>
    public async Task<int> SendFollowUpNudgesAsync(IReadOnlyList<DueFollowUpNudge> claimed, CancellationToken cancellationToken)
    {
        var sent = await _followUpNudges.SendAsync(claimed, cancellationToken);
        if (sent > 0)
        {
            _outboxObserver?.MessagesWritten();
        }

        return sent;
    }

    /// <summary>Nudges one incident's commander, re-reading on conflict; with a claim, only while the reminder still holds it.</summary>
    public async Task<bool> SendReminderAsync(long incidentId, DateTimeOffset? claim, CancellationToken cancellationToken)
    {
        var sent = await _reminders.SendOneAsync(incidentId, claim, cancellationToken);
        if (sent)
        {
            _outboxObserver?.MessagesWritten();
        }

        return sent;
    }

    /// <summary>
    /// Queues messages that change no incident (an answer to a command where the platform has no
    /// private reply in the HTTP response, a welcome) through the outbox, once per inbound event.
    /// </summary>
    /// <returns>False when the inbound event was already answered.</returns>
    public async Task<bool> SendAsync(IReadOnlyList<OutgoingMessage> messages, string? inboundEventId, CancellationToken cancellationToken)
    {
        if (await Store.EnqueueAsync(messages, inboundEventId, cancellationToken) == SaveResult.Duplicate)
        {
            return false;
        }

        if (messages.Count > 0)
        {
            _outboxObserver?.MessagesWritten();
        }

        return true;
    }

    /// <summary>Whether the conversation is an incident's own (where chat events are captured).</summary>
    public async Task<bool> IsIncidentConversationAsync(string platform, string conversationId, CancellationToken cancellationToken) =>
        await Store.FindByConversationAsync(platform, conversationId, cancellationToken) is not null;

    /// <summary>Whether an inbound event (Slack event_id, Teams activity id) has not been handled yet.</summary>
    public async Task<bool> IsNewInboundAsync(string eventId, CancellationToken cancellationToken) =>
        !await Store.WasInboundProcessedAsync(eventId, cancellationToken);

    /// <summary>Remembers an inbound event as handled, after its effects committed, so redeliveries are no-ops.</summary>
    public Task MarkInboundProcessedAsync(string eventId, CancellationToken cancellationToken) =>
        Store.TryRecordInboundAsync(eventId, cancellationToken);

    /// <summary>The incident by its workspace number.</summary>
    public Task<Incident?> GetAsync(string platform, string workspaceId, int number, CancellationToken cancellationToken) =>
        Store.GetByNumberAsync(platform, workspaceId, number, cancellationToken);

    /// <summary>The postmortem draft of an incident, in <paramref name="timeZone"/> or the configured default.</summary>
    public Task<PostmortemDraft> ExportPostmortemAsync(Incident incident, TimeZoneInfo? timeZone, CancellationToken cancellationToken) =>
        _postmortem.ExportAsync(incident, timeZone, cancellationToken);
}
