using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Notes;

/// <summary>Adds a note to the timeline; nothing is posted and the reminder clock keeps running.</summary>
public sealed class NoteHandler(HandlerServices services) : IncidentHandler<NoteCommand>
{
    protected override Decision Decide(NoteCommand command, Incident incident, CommandContext context)
    {
        var next = incident.NextVersion();
        var change = IncidentChange.KeepingReminder(next) with { Entries = [TimelineEntry.For(next, services.Now, TimelineKind.Note, context.User, command.Text)] };
        return new Decision(change, CommandReply.Private($"Noted on the {next.Key} timeline.", next));
    }
}
