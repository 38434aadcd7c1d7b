using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Incidents;

/// <summary>Declares an incident: numbered, its conversation opened, header pinned, announced.</summary>
public sealed class DeclareHandler(HandlerServices services) : StandaloneHandler<DeclareCommand>
{
    protected override Task<CommandReply> HandleAsync(DeclareCommand command, CommandContext context, CancellationToken cancellationToken) =>
        command.Title is null
            ? Task.FromResult(new CommandReply("Opening the declare form.", ReplyDisplay.OpenForm))
            : DeclareAsync(new DeclareRequest(command.Title, command.Severity ?? Severity.Sev3, command.Type ?? IncidentType.Livesite) { Drill = command.Drill }, context, cancellationToken);

    /// <summary>Declares from a typed command or a submitted form.</summary>
    public async Task<CommandReply> DeclareAsync(DeclareRequest request, CommandContext context, CancellationToken cancellationToken)
    {
        var now = services.Now;
        var commander = request.Commander ?? context.User;
        var draft = new Incident
        {
            Platform = context.Platform,
            WorkspaceId = context.WorkspaceId,
            Title = request.Title.Trim(),
            Description = request.Description.Trim(),
            Severity = request.Severity,
            Type = request.Type,
            Commander = commander,
            DeclaredBy = context.User,
            DeclaredAt = now,
            LastStatusUpdateAt = now,
            OriginConversationId = context.ConversationId,
            ServiceUrl = context.ServiceUrl,
            Version = 1,
            IsDrill = request.Drill || services.SettingsFor(context.Platform).DrillsOnly,
        };

        var (result, incident) = await services.Store.CreateAsync(draft, numbered => Build(numbered, request, context, now), context.InboundEventId, cancellationToken);
        if (result == SaveResult.Duplicate || incident is null)
        {
            return CommandReply.AlreadyHandled();
        }

        var commanderNote = commander == context.User ? "you are the commander" : $"the commander is {commander.Name}";
        return new CommandReply(
            $"Declared {(incident.IsDrill ? "the drill " : "")}{incident.Key}: {incident.Title} ({incident.Severity}). Its conversation is being opened; {commanderNote}.",
            ReplyDisplay.Private,
            incident,
            Changed: true);
    }

    private IncidentChange Build(Incident incident, DeclareRequest request, CommandContext context, DateTimeOffset now)
    {
        var settings = services.SettingsFor(context.Platform);
        var invitees = new List<string>();
        if (incident.Commander.IsAssigned)
        {
            invitees.Add(incident.Commander.Id);
        }

        invitees.AddRange(settings.Responders);
        var spec = new ConversationSpec(
            ChannelNames.For(incident.Number, incident.Title, settings.ConversationNameMaxLength),
            IncidentMessages.Topic(incident),
            $"{incident.Key}: {incident.Title} ({incident.Severity}, {IncidentMessages.TypeLabel(incident.Type)})",
            invitees.Distinct(StringComparer.Ordinal).ToList());

        var messages = new List<OutgoingMessage>
        {
            Outgoing.ToIncident(incident, ChatOperation.OpenIncidentConversation) with { Conversation = spec },
            Outgoing.Post(incident, IncidentMessages.Header(incident)) with { Anchor = IncidentMessages.HeaderAnchor, Pin = true },
        };
        if (services.ToAnnouncements(incident, DeclareMessages.Announcement(incident), request.AnnouncementConversationId) is { } announcement)
        {
            messages.Add(announcement);
        }

        var entries = new List<TimelineEntry>(request.OpeningEntries?.Invoke(incident) ?? [])
        {
            TimelineEntry.For(incident, now, TimelineKind.Declared, context.User, DeclaredText(incident, context.User)),
        };
        if (request.SourceMessage is { } source)
        {
            // The message the incident was declared from opens the timeline, at its own time.
            entries.Insert(0, TimelineEntry.For(incident, source.At, TimelineKind.Note, source.Author, source.Text, source.SourceRef));
        }

        return new IncidentChange
        {
            Incident = incident,
            Entries = entries,
            Messages = messages,
            NextReminderAt = services.Reminders.NextDue(incident, now),
        };
    }

    private static string DeclaredText(Incident incident, Person declarer)
    {
        var what = $"{declarer.Name} declared {incident.Key}: {incident.Title} ({incident.Severity}, {IncidentMessages.TypeLabel(incident.Type)})";
        return incident.Commander == declarer ? $"{what} and is commander."
            : incident.Commander.IsAssigned ? $"{what}; {incident.Commander.Name} is commander."
            : $"{what}; no commander until someone acknowledges.";
    }
}
