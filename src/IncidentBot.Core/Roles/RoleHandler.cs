using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Roles;

/// <summary>Names someone for a role (scribe, liaison, ...); commander and lead hand over command.</summary>
public sealed class RoleHandler(HandlerServices services, LeadHandler lead) : IncidentHandler<RoleCommand>
{
    protected override Decision Decide(RoleCommand command, Incident incident, CommandContext context)
    {
        var key = command.Role.Trim().ToLowerInvariant();
        var person = command.User;
        if (key is "commander" or "lead")
        {
            return lead.Decide(incident, person, context.User);
        }

        var next = incident.NextVersion() with { Roles = incident.Roles.SetItem(key, person) };
        var text = $"{context.User.Name} made {person.Name} {key}.";
        var change = IncidentChange.KeepingReminder(next) with
        {
            Entries = [TimelineEntry.For(next, services.Now, TimelineKind.RoleAssigned, context.User, text)],
            Messages = RoleMessages.Assigned(next, text, person),
        };
        return new Decision(change, CommandReply.Private($"{person.Name} is {key} on {next.Key}.", next));
    }
}
