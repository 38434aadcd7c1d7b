using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

public sealed partial class IncidentService
{
    private Decision DecideTransition(Incident incident, LifecycleAction action, Person actor, DateTimeOffset now)
    {
        if (Lifecycle.Apply(incident, action, now) is not TransitionApplied applied)
        {
            var refused = (TransitionRefused)Lifecycle.Apply(incident, action, now);
            return Decision.ReplyOnly(CommandReply.Private(refused.Reason, incident));
        }

        var next = Bump(applied.Incident);
        var entries = applied.MilestonesReached
            .Select(state => Entry(next, now, TimelineKind.StateChanged, actor, MilestoneText(action, state, applied.MilestonesReached[^1], actor)))
            .ToList();

        var messages = new List<OutgoingMessage>(HeaderRefresh(next))
        {
            ToIncident(next, ChatOperation.Post, IncidentMessages.StateChanged(next, actor)),
        };
        if (next.State == IncidentState.Resolved)
        {
            messages.Add(ToIncident(next, ChatOperation.Post, IncidentMessages.Resolved(next)));
        }

        if (next.State is IncidentState.Mitigated or IncidentState.Resolved || action == LifecycleAction.Reopen)
        {
            // Stakeholders watch the announcement channel for the moments that matter to them.
            if (ToAnnouncements(next, IncidentMessages.StateChanged(next, actor)) is { } broadcast)
            {
                messages.Add(broadcast);
            }
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = entries,
            Messages = messages,
            NextReminderAt = reminders.NextDue(next, action == LifecycleAction.Reopen ? now : next.LastStatusUpdateAt),
        };
        return new Decision(change, CommandReply.Private($"{next.Key} is now {next.State}.", next));
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

    private Decision DecideStatusUpdate(Incident incident, string text, Person actor, DateTimeOffset now)
    {
        var next = Bump(incident) with { LastStatusUpdateAt = now };
        var messages = new List<OutgoingMessage> { ToIncident(next, ChatOperation.Post, IncidentMessages.StatusUpdate(next, actor, text)) };
        if (ToAnnouncements(next, IncidentMessages.StatusUpdate(next, actor, text)) is { } broadcast)
        {
            messages.Add(broadcast);
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = [Entry(next, now, TimelineKind.StatusUpdate, actor, text)],
            Messages = messages,
            NextReminderAt = reminders.NextDue(next, now),
        };
        return new Decision(change, CommandReply.Private($"Status update posted on {next.Key}.", next));
    }

    private static Decision DecideNote(Incident incident, string text, Person actor, DateTimeOffset now)
    {
        var next = Bump(incident);
        var change = Keep(next) with { Entries = [Entry(next, now, TimelineKind.Note, actor, text)] };
        return new Decision(change, CommandReply.Private($"Noted on the {next.Key} timeline.", next));
    }

    /// <param name="entry">The entry of this incident with that id, or null when it has none.</param>
    private static Decision DecideRemoveNote(Incident incident, TimelineEntry? entry, long entryId, Person actor)
    {
        if (actor.Id != incident.Commander.Id)
        {
            return Decision.ReplyOnly(CommandReply.Private($"Only the commander ({incident.Commander.Name}) can remove entries from the {incident.Key} draft.", incident));
        }

        if (entry is null)
        {
            return Decision.ReplyOnly(CommandReply.Private(string.Create(CultureInfo.InvariantCulture,
                $"The {incident.Key} timeline has no entry {entryId}: `/incident status` lists the latest entries with their ids."), incident));
        }

        if (entry.Redacted)
        {
            return Decision.ReplyOnly(CommandReply.Private(string.Create(CultureInfo.InvariantCulture,
                $"Entry {entryId} is already left out of the {incident.Key} postmortem."), incident));
        }

        var next = Bump(incident);
        var change = Keep(next) with { RedactEntryIds = [entryId] };
        return new Decision(change, CommandReply.Private(
            string.Create(CultureInfo.InvariantCulture, $"Entry {entryId} is left out of the {next.Key} postmortem (it stays in the record)."), next));
    }

    private Decision DecideLead(Incident incident, Person commander, Person actor, DateTimeOffset now)
    {
        if (commander.Id == incident.Commander.Id)
        {
            return Decision.ReplyOnly(CommandReply.Private($"{commander.Name} already leads {incident.Key}.", incident));
        }

        var next = Bump(incident) with { Commander = commander };
        var text = $"{actor.Name} made {commander.Name} commander.";
        var change = new IncidentChange
        {
            Incident = next,
            Entries = [Entry(next, now, TimelineKind.RoleAssigned, actor, text)],
            Messages = [.. HeaderRefresh(next), ToIncident(next, ChatOperation.Post, IncidentMessages.Changed(text) with { Mentions = [commander.Id] })],
            NextReminderAt = reminders.NextDue(next, now),
        };
        return new Decision(change, CommandReply.Private($"{commander.Name} now leads {next.Key}.", next));
    }

    private Decision DecideRole(Incident incident, string role, Person person, Person actor, DateTimeOffset now)
    {
        var key = role.Trim().ToLowerInvariant();
        if (key is "commander" or "lead")
        {
            return DecideLead(incident, person, actor, now);
        }

        var next = Bump(incident) with { Roles = incident.Roles.SetItem(key, person) };
        var text = $"{actor.Name} made {person.Name} {key}.";
        var change = Keep(next) with
        {
            Entries = [Entry(next, now, TimelineKind.RoleAssigned, actor, text)],
            Messages = [.. HeaderRefresh(next), ToIncident(next, ChatOperation.Post, IncidentMessages.Changed(text) with { Mentions = [person.Id] })],
        };
        return new Decision(change, CommandReply.Private($"{person.Name} is {key} on {next.Key}.", next));
    }

    private Decision DecideSeverity(Incident incident, Severity severity, Person actor, DateTimeOffset now)
    {
        if (severity == incident.Severity)
        {
            return Decision.ReplyOnly(CommandReply.Private($"{incident.Key} is already {severity}.", incident));
        }

        var next = Bump(incident) with { Severity = severity };
        var text = $"{actor.Name} changed severity from {incident.Severity} to {severity}.";
        var messages = new List<OutgoingMessage>(HeaderRefresh(next)) { ToIncident(next, ChatOperation.Post, IncidentMessages.Changed(text)) };
        if (ToAnnouncements(next, IncidentMessages.Changed($"{next.Key}: {text}") with { LinksIncidentConversation = true }) is { } broadcast)
        {
            messages.Add(broadcast);
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = [Entry(next, now, TimelineKind.SeverityChanged, actor, text)],
            Messages = messages,
            NextReminderAt = reminders.NextDue(next, now),
        };
        return new Decision(change, CommandReply.Private($"{next.Key} is now {severity}.", next));
    }

    private static Decision DecideSnooze(Incident incident, TimeSpan duration, CommandContext context, DateTimeOffset now)
    {
        var actor = context.User;
        if (!incident.IsOpen)
        {
            return Decision.ReplyOnly(CommandReply.Private($"{incident.Key} is resolved: there are no reminders to snooze.", incident));
        }

        var next = Bump(incident);
        var minutes = (int)duration.TotalMinutes;
        var text = string.Create(CultureInfo.InvariantCulture, $"{actor.Name} snoozed status-update reminders for {minutes} minutes.");
        var outcome = IncidentMessages.Changed(text);
        var messages = new List<OutgoingMessage> { ToIncident(next, ChatOperation.Post, outcome) };
        if (context.SourceMessageId is { Length: > 0 } reminderId)
        {
            // The reminder clicked on shows the outcome for everyone, without its buttons.
            messages.Add(ToIncident(next, ChatOperation.Update, outcome) with
            {
                ConversationId = context.ConversationId,
                ServiceUrl = context.ServiceUrl,
                MessageId = reminderId,
            });
        }

        var change = new IncidentChange
        {
            Incident = next,
            Entries = [Entry(next, now, TimelineKind.Snoozed, actor, text)],
            Messages = messages,
            NextReminderAt = now + duration,
        };
        return new Decision(change, CommandReply.Private(string.Create(CultureInfo.InvariantCulture, $"Reminders for {next.Key} snoozed for {minutes} minutes."), next));
    }

    private static Incident Bump(Incident incident) => incident with { Version = incident.Version + 1 };

    /// <summary>A change that leaves the reminder schedule as it was.</summary>
    private static IncidentChange Keep(Incident next) => new() { Incident = next, KeepsReminder = true };
}
