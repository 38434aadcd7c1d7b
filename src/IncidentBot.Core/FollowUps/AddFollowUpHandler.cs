using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.FollowUps;

/// <summary>
/// Adds a follow-up with the workspace's next number (taken from the store before deciding, so its message can
/// carry it; a number taken by a decision that was not saved is simply never used) and posts its message.
/// </summary>
public sealed class AddFollowUpHandler(HandlerServices services) : ReadingIncidentHandler<AddFollowUpCommand>
{
    protected override async Task<Decision> DecideAsync(AddFollowUpCommand command, Incident incident, CommandContext context, CancellationToken cancellationToken)
    {
        var now = services.Now;
        var number = await services.Store.NextFollowUpNumberAsync(incident.Platform, incident.WorkspaceId, cancellationToken);
        var followUp = new FollowUp
        {
            Number = number,
            Text = command.Text,
            Owner = command.Owner,
            Due = command.Due?.Resolve(now),
            SourceLink = command.SourceLink,
            CreatedBy = context.User,
            CreatedAt = now,
        };
        var next = incident.NextVersion() with { FollowUps = incident.FollowUps.Add(followUp) };
        var entry = TimelineEntry.For(next, now, TimelineKind.FollowUpAdded, context.User,
            string.Create(CultureInfo.InvariantCulture, $"{context.User.Name} added follow-up {number}: {followUp.Text} (owner {FollowUpMessages.OwnerName(followUp)}, due {FollowUpMessages.DueText(followUp)})."));
        var change = IncidentChange.KeepingReminder(next) with { Entries = [entry], Messages = FollowUpTracker.With(services, [FollowUpMessages.Posted(next, followUp)], FollowUpTracker.Open(next, followUp)) };
        return new Decision(change, CommandReply.ShowCard(
            string.Create(CultureInfo.InvariantCulture, $"Follow-up {number} added to {next.Key}."), FollowUpMessages.Card(next, followUp), next));
    }
}
