using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Incidents;

/// <summary>Moves the incident along its lifecycle, recording every milestone a skip passes.</summary>
public sealed class TransitionHandler(HandlerServices services) : IncidentHandler<TransitionCommand>
{
    protected override Decision Decide(TransitionCommand command, Incident incident, CommandContext context)
    {
        var now = services.Now;
        var action = command.Action;
        var actor = context.User;
        var openFollowUps = incident.FollowUps.Where(f => f.IsOpen).ToList();
        if (action == LifecycleAction.Close && openFollowUps.Count > 0 && !command.WithOpenFollowUps && Lifecycle.IsAllowed(incident.State, action))
        {
            return Decision.Refuse(ClosingMessages.OpenFollowUpsRefusal(incident, openFollowUps), incident);
        }

        if (Lifecycle.Apply(incident, action, now, actor) is not TransitionApplied applied)
        {
            var refused = (TransitionRefused)Lifecycle.Apply(incident, action, now, actor);
            return Decision.Refuse(refused.Reason, incident);
        }

        var next = applied.Incident.NextVersion();
        var entries = applied.MilestonesReached
            .Select(state => TimelineEntry.For(next, now, TimelineKind.StateChanged, actor, MilestoneText(action, state, applied.MilestonesReached[^1], actor)))
            .ToList();
        if (action == LifecycleAction.Close && openFollowUps.Count > 0)
        {
            entries[^1] = entries[^1] with { Text = ClosingMessages.ClosedWithOpen(entries[^1].Text, openFollowUps) };
        }

        if (!next.Commander.IsAssigned)
        {
            // An incident an alert opened has no commander: whoever first moves it on takes command.
            next = next with { Commander = actor };
            entries.Add(TimelineEntry.For(next, now, TimelineKind.RoleAssigned, actor, $"{actor.Name} acknowledged and is commander."));
        }

        var messages = new List<OutgoingMessage>(Outgoing.HeaderRefresh(next)) { Outgoing.Post(next, TransitionMessages.StateChanged(next, actor)) };
        if (next.State == IncidentState.Resolved)
        {
            messages.Add(Outgoing.Post(next, TransitionMessages.Resolved(next)));
        }
        else if (next.State == IncidentState.Closed)
        {
            messages.Add(Outgoing.Post(next, TransitionMessages.Closed(next)));
        }

        if (next.State is IncidentState.Mitigated or IncidentState.Resolved or IncidentState.Closed || action == LifecycleAction.Reopen)
        {
            // Stakeholders watch the announcement channel for the moments that matter to them.
            if (services.ToAnnouncements(next, TransitionMessages.StateChanged(next, actor)) is { } broadcast)
            {
                messages.Add(broadcast);
            }
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = entries,
            Messages = messages,
            NextReminderAt = services.Reminders.NextDue(next, action == LifecycleAction.Reopen ? now : next.LastStatusUpdateAt),
        };
        return new Decision(change, CommandReply.ShowCard($"{next.Key} is now {next.State}.", IncidentMessages.Header(next), next));
    }

    private static string MilestoneText(LifecycleAction action, IncidentState state, IncidentState target, Person actor)
    {
        if (action == LifecycleAction.Reopen)
        {
            return $"{actor.Name} reopened the incident.";
        }

        var verb = state.ToString().ToLowerInvariant();
        return state == target ? $"{actor.Name} marked the incident {verb}." : $"Marked {verb} on the way to {target.ToString().ToLowerInvariant()} ({actor.Name}).";
    }
}
