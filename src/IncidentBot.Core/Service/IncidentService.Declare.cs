using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

/// <summary>What a declaration needs; <see cref="SourceMessage"/> is set when declared from a chat message.</summary>
public sealed record DeclareRequest(string Title, Severity Severity, IncidentType Type, string Description = "", CapturedChatEvent? SourceMessage = null);

public sealed partial class IncidentService
{
    /// <summary>Declares an incident: numbered, its conversation opened, header pinned, announced.</summary>
    public async Task<CommandReply> DeclareAsync(DeclareRequest request, CommandContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = SettingsFor(context.Platform);
        var draft = new Incident
        {
            Platform = context.Platform,
            WorkspaceId = context.WorkspaceId,
            Title = request.Title.Trim(),
            Description = request.Description.Trim(),
            Severity = request.Severity,
            Type = request.Type,
            Commander = context.User,
            DeclaredBy = context.User,
            DeclaredAt = now,
            LastStatusUpdateAt = now,
            OriginConversationId = context.ConversationId,
            ServiceUrl = context.ServiceUrl,
            Version = 1,
        };

        var (result, incident) = await store.CreateAsync(draft, numbered => BuildDeclaration(numbered, request, settings, context, now), context.InboundEventId, cancellationToken);
        if (result == SaveResult.Duplicate || incident is null)
        {
            return new CommandReply("Already handled.", ReplyKind.Duplicate);
        }

        outboxObserver?.MessagesWritten();
        return new CommandReply(
            $"Declared {incident.Key}: {incident.Title} ({incident.Severity}). Its conversation is being opened; you are the commander.",
            ReplyKind.Text,
            incident,
            Changed: true);
    }

    private IncidentChange BuildDeclaration(Incident incident, DeclareRequest request, PlatformSettings settings, CommandContext context, DateTimeOffset now)
    {
        var invitees = new List<string> { context.User.Id };
        invitees.AddRange(settings.Responders.Where(r => r != context.User.Id));
        var spec = new ConversationSpec(
            ChannelNames.For(incident.Number, incident.Title, settings.ConversationNameMaxLength),
            IncidentMessages.Topic(incident),
            $"{incident.Key}: {incident.Title} ({incident.Severity}, {IncidentMessages.TypeLabel(incident.Type)})",
            invitees.Distinct(StringComparer.Ordinal).ToList());

        var messages = new List<OutgoingMessage>
        {
            ToIncident(incident, ChatOperation.OpenIncidentConversation) with { Conversation = spec },
            ToIncident(incident, ChatOperation.Post, IncidentMessages.Header(incident)) with { Anchor = IncidentMessages.HeaderAnchor, Pin = true },
        };
        if (ToAnnouncements(incident, IncidentMessages.Announcement(incident)) is { } announcement)
        {
            messages.Add(announcement);
        }

        var entries = new List<TimelineEntry>
        {
            Entry(incident, now, TimelineKind.Declared, context.User,
                $"{context.User.Name} declared {incident.Key}: {incident.Title} ({incident.Severity}, {IncidentMessages.TypeLabel(incident.Type)}) and is commander."),
        };
        if (request.SourceMessage is { } source)
        {
            // The message the incident was declared from opens the timeline, at its own time.
            entries.Insert(0, Entry(incident, source.At, TimelineKind.Note, source.Author, source.Text, source.SourceRef));
        }

        return new IncidentChange
        {
            Incident = incident,
            Entries = entries,
            Messages = messages,
            NextReminderAt = reminders.NextDue(incident, now),
        };
    }
}
