using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.FollowUps;

/// <summary>`followups`: this incident's follow-ups, to the asker.</summary>
public sealed class ListFollowUpsHandler : IncidentHandler<ListFollowUpsCommand>
{
    protected override Decision Decide(ListFollowUpsCommand command, Incident incident, CommandContext context) =>
        Decision.ReplyOnly(CommandReply.Private(FollowUpMessages.List(incident), incident));
}

/// <summary>`followup done &lt;id&gt;` and the Done button.</summary>
public sealed class FollowUpDoneHandler(HandlerServices services) : FollowUpChangeHandler<FollowUpDoneCommand>(services)
{
    protected override int NumberOf(FollowUpDoneCommand command) => command.Number;

    protected override OutgoingMessage? TrackerMessage(Incident next, FollowUp changed) => FollowUpTracker.Close(next, changed, ChatOperation.CompleteTrackerIssue);

    protected override FollowUpOutcome Change(FollowUpDoneCommand command, FollowUp followUp, Incident incident, CommandContext context) =>
        followUp.IsOpen
            ? new(followUp with { State = FollowUpState.Done, ClosedAt = Services.Now }, $"{context.User.Name} marked follow-up {followUp.Number} done.", $"Follow-up {followUp.Number} is done.")
            : FollowUpOutcome.Refused($"Follow-up {followUp.Number} is already {FollowUpMessages.StateText(followUp)}.");
}

/// <summary>`followup drop &lt;id&gt; &lt;reason&gt;`: not doing it, with the reason.</summary>
public sealed class DropFollowUpHandler(HandlerServices services) : FollowUpChangeHandler<DropFollowUpCommand>(services)
{
    protected override int NumberOf(DropFollowUpCommand command) => command.Number;

    protected override OutgoingMessage? TrackerMessage(Incident next, FollowUp changed) => FollowUpTracker.Close(next, changed, ChatOperation.DropTrackerIssue);

    protected override FollowUpOutcome Change(DropFollowUpCommand command, FollowUp followUp, Incident incident, CommandContext context) =>
        followUp.IsOpen
            ? new(followUp with { State = FollowUpState.Dropped, DropReason = command.Reason, ClosedAt = Services.Now },
                $"{context.User.Name} dropped follow-up {followUp.Number}: {command.Reason}", $"Follow-up {followUp.Number} is dropped.")
            : FollowUpOutcome.Refused($"Follow-up {followUp.Number} is already {FollowUpMessages.StateText(followUp)}.");
}

/// <summary>`followup assign &lt;id&gt; @user` and the Assign to me button.</summary>
public sealed class AssignFollowUpHandler(HandlerServices services) : FollowUpChangeHandler<AssignFollowUpCommand>(services)
{
    protected override int NumberOf(AssignFollowUpCommand command) => command.Number;

    protected override FollowUpOutcome Change(AssignFollowUpCommand command, FollowUp followUp, Incident incident, CommandContext context)
    {
        var owner = command.Owner ?? context.User;
        if (followUp.Owner?.Id == owner.Id)
        {
            return FollowUpOutcome.Refused($"Follow-up {followUp.Number} is already {owner.Name}'s.");
        }

        return new(followUp with { Owner = owner }, $"{context.User.Name} assigned follow-up {followUp.Number} to {owner.Name}.",
            RichText.Of($"Follow-up {followUp.Number} is now {Run.Mention(owner)}'s."));
    }
}

/// <summary>`followup due &lt;id&gt; &lt;date&gt;`.</summary>
public sealed class FollowUpDueHandler(HandlerServices services) : FollowUpChangeHandler<FollowUpDueCommand>(services)
{
    protected override int NumberOf(FollowUpDueCommand command) => command.Number;

    protected override FollowUpOutcome Change(FollowUpDueCommand command, FollowUp followUp, Incident incident, CommandContext context)
    {
        var due = command.Due.Resolve(Services.Now);
        var text = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return followUp.Due == due
            ? FollowUpOutcome.Refused($"Follow-up {followUp.Number} is already due {text}.")
            : new(followUp with { Due = due }, $"{context.User.Name} set follow-up {followUp.Number} due {text}.", $"Follow-up {followUp.Number} is due {text}.");
    }
}
