using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.FollowUps;

/// <summary>
/// Follow-ups mirrored to an issue tracker (GitHub Issues, Jira): the outbox messages that create and close the issue
/// (platform <see cref="Platform"/>, delivered like chat messages, in the order written per incident), and the changes
/// the tracker causes: the issue's link recorded on the follow-up, and the issue closed or reopened in the tracker.
/// </summary>
public sealed class FollowUpTracker(HandlerServices services)
{
    /// <summary>The outbox platform name of the issue tracker.</summary>
    public const string Platform = "tracker";

    /// <summary>The messages of a change, with the tracker's when follow-ups are mirrored.</summary>
    public static IReadOnlyList<OutgoingMessage> With(HandlerServices services, IReadOnlyList<OutgoingMessage> messages, OutgoingMessage? tracker) =>
        services.MirrorsFollowUps && tracker is not null ? [.. messages, tracker] : messages;

    /// <summary>Create the follow-up's issue.</summary>
    public static OutgoingMessage Open(Incident incident, FollowUp followUp) => Message(incident, followUp, ChatOperation.OpenTrackerIssue);

    /// <summary>Close the follow-up's issue: <see cref="ChatOperation.CompleteTrackerIssue"/> or <see cref="ChatOperation.DropTrackerIssue"/>.</summary>
    public static OutgoingMessage Close(Incident incident, FollowUp followUp, ChatOperation operation) => Message(incident, followUp, operation);

    private static OutgoingMessage Message(Incident incident, FollowUp followUp, ChatOperation operation) => new()
    {
        Platform = Platform,
        IncidentId = incident.Id,
        Operation = operation,
        FollowUpNumber = followUp.Number,
    };

    /// <summary>Records the created issue's link on the follow-up and refreshes its message; false when it was there already.</summary>
    public Task<bool> RecordIssueAsync(long incidentId, int number, string url, CancellationToken cancellationToken) =>
        services.SaveInTurnAsync(incidentId, incident => Recorded(incident, number, url), cancellationToken);

    /// <summary>The issue was closed in the tracker: an open follow-up becomes done. Once per <paramref name="eventId"/>.</summary>
    public Task<bool> IssueClosedAsync(long incidentId, int number, string url, string who, string? eventId, CancellationToken cancellationToken) =>
        services.SaveInTurnAsync(incidentId, incident => Closed(incident, number, url, who, eventId), cancellationToken);

    /// <summary>The issue was reopened in the tracker: a done or dropped follow-up is open again. Once per <paramref name="eventId"/>.</summary>
    public Task<bool> IssueReopenedAsync(long incidentId, int number, string url, string who, string? eventId, CancellationToken cancellationToken) =>
        services.SaveInTurnAsync(incidentId, incident => Reopened(incident, number, url, who, eventId), cancellationToken);

    private IncidentChange? Recorded(Incident? incident, int number, string url)
    {
        if (incident?.FollowUp(number) is not { } followUp || followUp.TrackerUrl == url)
        {
            return null;
        }

        return Changed(incident, followUp, followUp with { TrackerUrl = url },
            string.Create(CultureInfo.InvariantCulture, $"Follow-up {number} is tracked at {url}."), null);
    }

    private IncidentChange? Closed(Incident? incident, int number, string url, string who, string? eventId)
    {
        if (incident?.FollowUp(number) is not { IsOpen: true } followUp || followUp.TrackerUrl != url)
        {
            return null;
        }

        return Changed(incident, followUp, followUp with { State = FollowUpState.Done, ClosedAt = services.Now },
            string.Create(CultureInfo.InvariantCulture, $"{who} closed the tracker issue of follow-up {number}: it is done."), eventId);
    }

    private IncidentChange? Reopened(Incident? incident, int number, string url, string who, string? eventId)
    {
        if (incident?.FollowUp(number) is not { IsOpen: false } followUp || followUp.TrackerUrl != url)
        {
            return null;
        }

        return Changed(incident, followUp, followUp with { State = FollowUpState.Open, ClosedAt = null, DropReason = null },
            string.Create(CultureInfo.InvariantCulture, $"{who} reopened the tracker issue of follow-up {number}: it is open again."), eventId);
    }

    private IncidentChange Changed(Incident incident, FollowUp followUp, FollowUp changed, string text, string? eventId)
    {
        var next = incident.NextVersion() with { FollowUps = incident.FollowUps.Replace(followUp, changed) };
        return IncidentChange.KeepingReminder(next) with
        {
            Entries = [TimelineEntry.For(next, services.Now, TimelineKind.FollowUpChanged, Person.Bot, text)],
            Messages = [FollowUpMessages.Refreshed(next, changed)],
            InboundEventId = eventId,
        };
    }
}
