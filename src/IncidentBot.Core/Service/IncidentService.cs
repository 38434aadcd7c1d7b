using System.Globalization;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

/// <summary>
/// The use cases. Each decides, then writes the incident, its timeline entries and the messages it
/// owes in one store transaction; the outbox dispatcher delivers the messages later.
/// </summary>
public sealed partial class IncidentService(
    IIncidentStore store,
    TimeProvider clock,
    ReminderPolicy reminders,
    IEnumerable<PlatformSettings> platforms,
    IOutboxObserver? outboxObserver = null)
{
    // Changes to one incident take turns in this process; a version conflict then means another replica
    // changed it in the meantime: wait a jittered moment, re-read and decide again.
    private readonly IncidentGate _gate = new();
    private readonly ConflictBackoff _backoff = new(clock);

    private readonly Dictionary<string, PlatformSettings> _platforms = platforms.ToDictionary(p => p.Platform, StringComparer.Ordinal);

    /// <summary>Runs a parsed command typed in <paramref name="context"/>'s conversation.</summary>
    public Task<CommandReply> ExecuteAsync(Command command, CommandContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(command, context, incidentId: null, cancellationToken);

    /// <summary>
    /// Runs a command for a known incident (a button click carries the incident id), or for the
    /// incident whose conversation the command was typed in when <paramref name="incidentId"/> is null.
    /// </summary>
    public async Task<CommandReply> ExecuteAsync(Command command, CommandContext context, long? incidentId, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case HelpCommand help:
                return CommandReply.Private(help.Error is null ? CommandParser.HelpText : $"{help.Error}\n\n{CommandParser.HelpText}");
            case DeclareCommand { Title: null }:
                return new CommandReply("Opening the declare form.", ReplyKind.OpenDeclareForm);
            case DeclareCommand declare:
                return await DeclareAsync(new DeclareRequest(declare.Title, declare.Severity ?? Severity.Sev3, declare.Type ?? IncidentType.Livesite), context, cancellationToken);
            case ListCommand:
                return await ListOpenAsync(context, cancellationToken);
        }

        if (context.InboundEventId is { } eventId && await store.WasInboundProcessedAsync(eventId, cancellationToken))
        {
            // A redelivery (Teams retries an invoke it thinks timed out): the first delivery already answered.
            return new CommandReply("Already handled.", ReplyKind.Duplicate);
        }

        // Typed in a conversation: find its incident to know whose turn to take, then read it again in the turn.
        if ((incidentId ?? (await store.FindByConversationAsync(context.Platform, context.ConversationId, cancellationToken))?.Id) is not { } id)
        {
            return NotInIncident;
        }

        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                await _backoff.WaitAsync(attempt - 1, cancellationToken);
            }

            using var turn = await _gate.EnterAsync(id, cancellationToken);
            var incident = turn.HandedOn() ?? await store.GetAsync(id, cancellationToken);
            if (incident is null || incident.Platform != context.Platform || incident.WorkspaceId != context.WorkspaceId)
            {
                return NotInIncident;
            }

            var decision = await DecideAsync(command, incident, context, cancellationToken);
            if (decision.Change is null)
            {
                return decision.Reply;
            }

            var result = await turn.SaveAsync(store, decision.Change with { InboundEventId = context.InboundEventId }, cancellationToken);
            switch (result)
            {
                case SaveResult.Saved:
                    NotifyIfMessages(decision.Change);
                    return decision.Reply with { Incident = decision.Change.Incident, Changed = true };
                case SaveResult.Duplicate:
                    return new CommandReply("Already handled.", ReplyKind.Duplicate, incident);
                case SaveResult.Conflict when ConflictBackoff.CanRetry(attempt):
                    continue;
                default:
                    return CommandReply.Private($"{incident.Key} is changing fast right now; please try again.", incident);
            }
        }
    }

    private static readonly CommandReply NotInIncident = CommandReply.Private(
        "This command works inside an incident's conversation. Run it there, or use `list` to find the incident.");

    private async Task<Decision> DecideAsync(Command command, Incident incident, CommandContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (command is PostmortemCommand postmortem)
        {
            return await DecidePostmortemAsync(incident, postmortem.TimeZone, cancellationToken);
        }

        if (command is RemoveNoteCommand remove)
        {
            var entry = await store.GetTimelineEntryAsync(incident.Id, remove.EntryId, cancellationToken);
            return DecideRemoveNote(incident, entry, remove.EntryId, context.User);
        }

        if (command is StatusCommand)
        {
            var recent = await store.GetRecentTimelineAsync(incident.Id, RecentShown, cancellationToken);
            return Decision.ReplyOnly(CommandReply.Private(Summary(incident) + RecentEntries(recent), incident));
        }

        return command switch
        {
            TransitionCommand t => DecideTransition(incident, t.Action, context.User, now),
            StatusUpdateCommand u => DecideStatusUpdate(incident, u.Text, context.User, now),
            NoteCommand n => DecideNote(incident, n.Text, context.User, now),
            LeadCommand l => DecideLead(incident, l.User, context.User, now),
            RoleCommand r => DecideRole(incident, r.Role, r.User, context.User, now),
            SeverityCommand s => DecideSeverity(incident, s.Severity, context.User, now),
            SnoozeCommand s => DecideSnooze(incident, s.Duration, context, now),
            _ => Decision.ReplyOnly(CommandReply.Private(CommandParser.HelpText)),
        };
    }

    private void NotifyIfMessages(IncidentChange change)
    {
        if (change.Messages.Count > 0)
        {
            outboxObserver?.MessagesWritten();
        }
    }

    private PlatformSettings SettingsFor(string platform) =>
        _platforms.TryGetValue(platform, out var settings) ? settings : new PlatformSettings(platform, null, []);

    private static OutgoingMessage ToIncident(Incident incident, ChatOperation operation, ChatMessage? message = null) => new()
    {
        Platform = incident.Platform,
        IncidentId = incident.Id,
        Operation = operation,
        Message = message,
    };

    private OutgoingMessage? ToAnnouncements(Incident incident, ChatMessage message) =>
        SettingsFor(incident.Platform).AnnouncementConversationId is { Length: > 0 } channel
            ? new OutgoingMessage { Platform = incident.Platform, IncidentId = incident.Id, Operation = ChatOperation.Post, ConversationId = channel, Message = message }
            : null;

    /// <summary>Header update plus topic: what every visible change of the incident owes.</summary>
    private static IEnumerable<OutgoingMessage> HeaderRefresh(Incident incident)
    {
        yield return ToIncident(incident, ChatOperation.Update, IncidentMessages.Header(incident)) with { Anchor = IncidentMessages.HeaderAnchor };
        yield return ToIncident(incident, ChatOperation.SetTopic, IncidentMessages.Changed(IncidentMessages.Topic(incident)));
    }

    private static TimelineEntry Entry(Incident incident, DateTimeOffset at, TimelineKind kind, Person actor, string text, string? sourceRef = null) => new()
    {
        IncidentId = incident.Id,
        At = at,
        Kind = kind,
        Actor = actor,
        Text = text,
        SourceRef = sourceRef,
    };

    private static string Summary(Incident incident)
    {
        var roles = incident.Roles.Count == 0 ? "none" : string.Join(", ", incident.Roles.Select(r => $"{r.Key}: {r.Value.Name}"));
        return string.Create(CultureInfo.InvariantCulture, $"""
            *{incident.Key}: {incident.Title}*
            State: {incident.State} | Severity: {incident.Severity} | Type: {IncidentMessages.TypeLabel(incident.Type)}
            Commander: {incident.Commander.Name} | Roles: {roles}
            Declared: {IncidentMessages.FormatInstant(incident.DeclaredAt)} | TTA {IncidentMessages.FormatDuration(incident.TimeToAcknowledge)} | TTM {IncidentMessages.FormatDuration(incident.TimeToMitigate)} | TTR {IncidentMessages.FormatDuration(incident.TimeToResolve)}
            Last status update: {IncidentMessages.FormatInstant(incident.LastStatusUpdateAt)}
            """);
    }

    /// <summary>How many of the latest timeline entries the status view lists.</summary>
    private const int RecentShown = 10;

    /// <summary>The latest timeline entries with their ids, so the commander can leave one out of the postmortem.</summary>
    private static string RecentEntries(IReadOnlyList<TimelineEntry> recent)
    {
        if (recent.Count == 0)
        {
            return "";
        }

        var lines = recent.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"`#{e.Id}` {e.At.UtcDateTime:HH:mm} {e.Kind} ({e.Actor.Name}): {(e.Text.Length > 80 ? e.Text[..80] + "…" : e.Text)}"));
        return "\nLatest timeline entries (leave one out of the postmortem with `note --remove <id>`):\n" + string.Join('\n', lines);
    }

    /// <summary>A decision: the change to save (null when nothing changes) and the reply.</summary>
    private sealed record Decision(IncidentChange? Change, CommandReply Reply)
    {
        public static Decision ReplyOnly(CommandReply reply) => new(null, reply);
    }
}
