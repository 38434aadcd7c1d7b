using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.FollowUps;

/// <summary>What a change to one follow-up decided: the follow-up as it becomes and its timeline text, or a refusal.</summary>
public sealed record FollowUpOutcome(FollowUp? Changed, string? EntryText, RichText Reply)
{
    public static FollowUpOutcome Refused(RichText reason) => new(null, null, reason);
}

/// <summary>
/// The shared steps of changing one follow-up: find it in this incident (a private answer when it is not there),
/// let the command decide, then save the incident with it, a timeline entry and the refreshed message.
/// </summary>
public abstract class FollowUpChangeHandler<TCommand>(HandlerServices services) : IncidentHandler<TCommand>
    where TCommand : Command
{
    protected HandlerServices Services => services;

    protected abstract int NumberOf(TCommand command);

    protected abstract FollowUpOutcome Change(TCommand command, FollowUp followUp, Incident incident, CommandContext context);

    /// <summary>What the change owes the issue tracker, if anything (done and drop close the issue).</summary>
    protected virtual OutgoingMessage? TrackerMessage(Incident next, FollowUp changed) => null;

    protected sealed override Decision Decide(TCommand command, Incident incident, CommandContext context)
    {
        if (incident.FollowUp(NumberOf(command)) is not { } followUp)
        {
            return Decision.Refuse(FollowUpMessages.NoSuch(incident, NumberOf(command)), incident);
        }

        var outcome = Change(command, followUp, incident, context);
        if (outcome.Changed is not { } changed)
        {
            return Decision.Refuse(outcome.Reply, incident);
        }

        var next = incident.NextVersion() with { FollowUps = incident.FollowUps.Replace(followUp, changed) };
        var entry = TimelineEntry.For(next, services.Now, TimelineKind.FollowUpChanged, context.User, outcome.EntryText ?? "");
        var change = IncidentChange.KeepingReminder(next) with { Entries = [entry], Messages = FollowUpTracker.With(services, [FollowUpMessages.Refreshed(next, changed)], TrackerMessage(next, changed)) };
        return new Decision(change, CommandReply.ShowCard(outcome.Reply, FollowUpMessages.Card(next, changed), next));
    }
}
