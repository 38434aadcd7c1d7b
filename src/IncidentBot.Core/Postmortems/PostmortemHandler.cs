using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Postmortems;

/// <summary>Uploads the postmortem draft (Markdown) to the incident's conversation; served over HTTP too.</summary>
public sealed class PostmortemHandler(HandlerServices services) : ReadingIncidentHandler<PostmortemCommand>
{
    /// <summary>The postmortem draft of an incident, in <paramref name="timeZone"/> or the configured default.</summary>
    public async Task<PostmortemDraft> ExportAsync(Incident incident, TimeZoneInfo? timeZone, CancellationToken cancellationToken)
    {
        var timeline = await services.Store.GetTimelineAsync(incident.Id, cancellationToken);
        return PostmortemWriter.Build(incident, timeline, timeZone ?? services.DefaultTimeZone, services.SettingsFor(incident.Platform).ConversationLink(incident));
    }

    protected override async Task<Decision> DecideAsync(PostmortemCommand command, Incident incident, CommandContext context, CancellationToken cancellationToken)
    {
        var zone = services.DefaultTimeZone;
        if (command.TimeZone is { } id && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!))
        {
            return Decision.Refuse(RichText.Of($"Unknown time zone {Run.Code(id)}. Use an IANA name such as {Run.Code("Europe/Paris")}."), incident);
        }

        var draft = await ExportAsync(incident, zone, cancellationToken);
        var next = incident.NextVersion();
        var upload = Outgoing.ToIncident(next, ChatOperation.UploadFile) with
        {
            File = new ChatFile($"{incident.Key}-postmortem.md", $"{incident.Key} postmortem draft", PostmortemWriter.ToMarkdown(draft)),
        };
        var reply = incident.IsOpen
            ? $"{incident.Key} is not resolved yet: here is the current draft; it will be final after resolve."
            : $"The {incident.Key} postmortem draft is being uploaded to this conversation.";
        return new Decision(IncidentChange.KeepingReminder(next) with { Messages = [upload] }, CommandReply.Private(reply, next));
    }
}
