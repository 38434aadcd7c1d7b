using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.FollowUps;

/// <summary>
/// Nudges the owners of overdue follow-ups the scheduler claimed: a mention in the incident conversation, and a
/// direct message where the platform delivers one to a user id. The follow-up itself records the day of the nudge,
/// so a second replica, a repeated claim or a restart finds it nudged already: once a day at most, and downtime
/// yields one catch-up nudge.
/// </summary>
public sealed class FollowUpNudges(HandlerServices services)
{
    /// <returns>How many nudges were written.</returns>
    public async Task<int> SendAsync(IReadOnlyList<DueFollowUpNudge> claimed, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var due in claimed)
        {
            if (await SendOneAsync(due.IncidentId, due.Number, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>Nudges one follow-up's owner in its incident's turn, deciding again on a conflict.</summary>
    public Task<bool> SendOneAsync(long incidentId, int number, CancellationToken cancellationToken) =>
        services.SaveInTurnAsync(incidentId, incident => Change(incident, number), cancellationToken);

    /// <summary>The nudge, or null when it is not due (any more): done, dropped, unassigned, or nudged today already.</summary>
    public IncidentChange? Change(Incident? incident, int number)
    {
        var now = services.Now;
        if (incident?.FollowUp(number) is not { } followUp || followUp.NextNudgeAt() is not { } at || at > now || followUp.Owner is not { } owner)
        {
            return null;
        }

        var nudged = followUp with { LastNudgedOn = DateOnly.FromDateTime(now.UtcDateTime) };
        var next = incident.NextVersion() with { FollowUps = incident.FollowUps.Replace(followUp, nudged) };
        var due = FollowUpMessages.DueText(followUp);
        var messages = new List<OutgoingMessage> { Outgoing.Post(next, FollowUpMessages.Nudge(next, followUp, owner)) };
        if (Direct(next, FollowUpMessages.Nudge(next, followUp, owner) with { LinksIncidentConversation = true }, owner) is { } direct)
        {
            messages.Add(direct);
        }

        return IncidentChange.KeepingReminder(next) with
        {
            Entries = [TimelineEntry.For(next, now, TimelineKind.FollowUpNudged, Person.Bot,
                string.Create(CultureInfo.InvariantCulture, $"Reminded {owner.Name} of follow-up {followUp.Number} (due {due})."))],
            Messages = messages,
        };
    }

    /// <summary>The message to <paramref name="person"/> directly, as the platform delivers one; null where it has none.</summary>
    private OutgoingMessage? Direct(Incident incident, ChatMessage message, Person person)
    {
        var direct = new OutgoingMessage { Platform = incident.Platform, IncidentId = incident.Id, Operation = ChatOperation.Post, Message = message };
        return services.SettingsFor(incident.Platform).DirectMessages switch
        {
            DirectMessages.ByUserId => direct with { ConversationId = person.Id },

            // Whether the person has a 1:1 with the bot is the platform's to find out when it delivers.
            DirectMessages.WhereConversationExists => direct with { Operation = ChatOperation.PostDirect, RecipientId = person.Id },
            _ => null,
        };
    }
}
