using System.Globalization;
using System.Text;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.Host.Trackers;

/// <summary>
/// Delivers the outbox's tracker messages (platform <c>tracker</c>) like a chat platform, so retries, Retry-After,
/// the circuit breaker and restarts apply. Creating is done once per follow-up: the created issue is remembered under
/// the anchor <c>tracker:&lt;n&gt;</c> before its link is recorded on the follow-up (through the pipeline, which
/// refreshes the follow-up's message), so a retry never creates a second issue.
/// </summary>
internal sealed class TrackerChatPlatform(ITrackerClient client, IncidentService service) : IChatPlatform
{
    public string Platform => FollowUpTracker.Platform;

    public static string AnchorOf(int number) => string.Create(CultureInfo.InvariantCulture, $"tracker:{number}");

    /// <summary>The marker in the issue body that names its follow-up (an HTML comment: not shown by GitHub).</summary>
    public static string MarkerOf(long incidentId, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"<!-- incidentbot:followup incident={incidentId} number={number} -->");

    public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
    {
        var message = item.Message;
        if (message is not { IncidentId: { } incidentId, FollowUpNumber: { } number })
        {
            return new PermanentFailure("a tracker message without incident or follow-up number");
        }

        return message.Operation switch
        {
            ChatOperation.OpenTrackerIssue => await OpenAsync(incidentId, number, context, cancellationToken),
            ChatOperation.CompleteTrackerIssue => await CloseAsync(incidentId, number, completed: true, context, cancellationToken),
            ChatOperation.DropTrackerIssue => await CloseAsync(incidentId, number, completed: false, context, cancellationToken),
            var other => new PermanentFailure($"the tracker does not do {other}"),
        };
    }

    private async Task<DeliveryResult> OpenAsync(long incidentId, int number, IDeliveryContext context, CancellationToken cancellationToken)
    {
        var incident = await context.GetIncidentAsync(incidentId, cancellationToken);
        if (incident?.FollowUp(number) is not { } followUp)
        {
            return new PermanentFailure("the follow-up is gone");
        }

        var issue = Parse(await context.GetAnchorAsync(incidentId, AnchorOf(number), cancellationToken));
        if (issue is null)
        {
            var (result, created) = await client.CreateAsync(followUp.Text, Body(incident, followUp), cancellationToken);
            if (created is null)
            {
                return result;
            }

            issue = created;
            await context.SetAnchorAsync(incidentId, AnchorOf(number), $"{created.Key} {created.Url}", cancellationToken);
        }

        await service.RecordTrackerIssueAsync(incidentId, number, issue.Url, cancellationToken);
        var recorded = await context.GetIncidentAsync(incidentId, cancellationToken);
        return recorded?.FollowUp(number)?.TrackerUrl == issue.Url
            ? DeliveryResult.Ok
            : new TransientFailure("the issue's link is not recorded on the follow-up yet");
    }

    private async Task<DeliveryResult> CloseAsync(long incidentId, int number, bool completed, IDeliveryContext context, CancellationToken cancellationToken)
    {
        // Tracker messages of an incident leave in the order written, so the issue's creation was tried before this.
        if (Parse(await context.GetAnchorAsync(incidentId, AnchorOf(number), cancellationToken)) is not { } issue)
        {
            return new PermanentFailure("the follow-up has no tracker issue");
        }

        return await client.CloseAsync(issue.Key, completed, cancellationToken);
    }

    private static TrackerIssue? Parse(string? anchor) =>
        anchor?.Split(' ', 2) is [{ Length: > 0 } key, { Length: > 0 } url] ? new TrackerIssue(key, url) : null;

    internal static string Body(Incident incident, FollowUp followUp)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"Follow-up {followUp.Number} of {incident.Key} ({incident.Title}), added by IncidentBot.\n\n");
        body.Append(CultureInfo.InvariantCulture, $"Owner: {FollowUpMessages.OwnerName(followUp)}\n");
        body.Append(CultureInfo.InvariantCulture, $"Due: {FollowUpMessages.DueText(followUp)}\n");
        body.Append(CultureInfo.InvariantCulture, $"Added by: {followUp.CreatedBy.Name}\n\n");
        body.Append(MarkerOf(incident.Id, followUp.Number));
        return body.ToString();
    }
}
