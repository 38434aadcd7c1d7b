using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Roles;

/// <summary>Hands command to someone else; reminders now nudge them.</summary>
public sealed class LeadHandler(HandlerServices services) : IncidentHandler<LeadCommand>
{
    protected override Decision Decide(LeadCommand command, Incident incident, CommandContext context) => Decide(incident, command.User, context.User);

    /// <summary>Also what `role commander @user` and `role lead @user` do.</summary>
    public Decision Decide(Incident incident, Person commander, Person actor)
    {
        if (commander.Id == incident.Commander.Id)
        {
            return Decision.Refuse($"{commander.Name} already leads {incident.Key}.", incident);
        }

        var now = services.Now;
        var next = incident.NextVersion() with { Commander = commander };
        var text = $"{actor.Name} made {commander.Name} commander.";
        var change = new IncidentChange
        {
            Incident = next,
            Entries = [TimelineEntry.For(next, now, TimelineKind.RoleAssigned, actor, text)],
            Messages = RoleMessages.Assigned(next, text, commander),
            NextReminderAt = services.Reminders.NextDue(next, now),
        };
        return new Decision(change, CommandReply.Private($"{commander.Name} now leads {next.Key}.", next));
    }
}
