using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Notes;

/// <summary>Leaves a timeline entry out of the postmortem (the commander only); the entry stays in the record.</summary>
public sealed class RemoveNoteHandler(HandlerServices services) : ReadingIncidentHandler<RemoveNoteCommand>
{
    protected override async Task<Decision> DecideAsync(RemoveNoteCommand command, Incident incident, CommandContext context, CancellationToken cancellationToken)
    {
        var entryId = command.EntryId;
        if (context.User.Id != incident.Commander.Id)
        {
            return Decision.Refuse($"Only the commander ({incident.Commander.Name}) can remove entries from the {incident.Key} draft.", incident);
        }

        var entry = await services.Store.GetTimelineEntryAsync(incident.Id, entryId, cancellationToken);
        if (entry is null)
        {
            return Decision.Refuse(RichText.Of($"The {incident.Key} timeline has no entry {entryId}: {Run.Code("status")} lists the latest entries with their ids."), incident);
        }

        if (entry.Redacted)
        {
            return Decision.Refuse(RichText.Of($"Entry {entryId} is already left out of the {incident.Key} postmortem."), incident);
        }

        var next = incident.NextVersion();
        var change = IncidentChange.KeepingReminder(next) with { RedactEntryIds = [entryId] };
        return new Decision(change, CommandReply.Private(RichText.Of($"Entry {entryId} is left out of the {next.Key} postmortem (it stays in the record)."), next));
    }
}
