using System.Text.Json;
using IncidentBot.Core.Capture;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Events, from POST /slack/events (after its signature check) and from Socket Mode's events_api envelopes:
/// answers url_verification; turns pins, the capture reaction and channel joins
/// in incident channels into timeline entries. Redeliveries (same event_id) are no-ops.
/// </summary>
internal sealed class SlackEventHandler(
    SlackRefusals refusals,
    IncidentService service,
    ISlackInteractiveApi api,
    SlackAnswers answers,
    IHostApplicationLifetime lifetime,
    IOptions<SlackOptions> options,
    ILogger<SlackEventHandler> logger)
{
    /// <summary>Answers the Events API body <paramref name="json"/> (an event_callback or url_verification).</summary>
    public async Task<SlackAnswer> AnswerAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<EventEnvelope>(json.Span, SlackJson.Options);
        }
        catch (JsonException)
        {
            return refusals.BadRequest("body is not a JSON event");
        }

        switch (envelope?.Type)
        {
            case "url_verification" when envelope.Challenge is not null:
                return SlackAnswer.With(new { challenge = envelope.Challenge });
            case "event_callback" when envelope.EventId is { Length: > 0 } && envelope.Event is not null:
                break;
            default:
                return refusals.BadRequest($"unsupported event envelope '{envelope?.Type}'");
        }

        if (refusals.CheckTeam(envelope.TeamId) is { } forbidden)
        {
            return forbidden;
        }

        var eventId = $"slack:event:{envelope.EventId}";
        if (!await service.IsNewInboundAsync(eventId, cancellationToken))
        {
            return SlackAnswer.Ok;
        }

        // Within Slack's 3 seconds: capture is one indexed read and one insert (plus, for reactions in an
        // incident channel, one or two Web API reads: history, then replies for a message in a thread). A store
        // slower than the budget gets a 503: Slack retries the event_id, and the work, which goes on, is found done.
        var work = Task.Run(() => CaptureAndRecordAsync(envelope.Event, eventId), CancellationToken.None);
        if (await answers.EndsWithinBudgetAsync(work))
        {
            return await work;
        }

        Log.SlowAnswer(logger, $"{envelope.Event.Type ?? "unknown"} event");
        return SlackAnswer.TryAgain;
    }

    private async Task<SlackAnswer> CaptureAndRecordAsync(SlackEvent slackEvent, string eventId)
    {
        using var budget = answers.StartBudget(CancellationToken.None);
        var cancellationToken = lifetime.ApplicationStopping;
        try
        {
            CapturedChatEvent? captured;
            try
            {
                captured = await CaptureAsync(slackEvent, budget.Token);
            }
            catch (Exception e) when (SlackFailures.IsPermanent(e))
            {
                // Slack will give the same answer to every retry: acknowledge (so it stops), note it once.
                Log.CaptureRefused(logger, slackEvent.Type ?? "event", e.Message);
                captured = null;
            }

            if (captured is not null)
            {
                await service.RecordChatEventAsync(captured, cancellationToken);
            }

            await service.MarkInboundProcessedAsync(eventId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not marked processed: Slack's retry of this event_id will try again.
            Log.BackgroundFailed(logger, slackEvent.Type ?? "event", e);
            return SlackAnswer.TryAgain;
        }

        return SlackAnswer.Ok;
    }

    private async Task<CapturedChatEvent?> CaptureAsync(SlackEvent e, CancellationToken cancellationToken)
    {
        switch (e.Type)
        {
            case "pin_added" when e.Item?.Message is { Ts: not null } message:
                var pinChannel = e.ChannelId ?? e.Item.Channel ?? "";
                if (!await service.IsIncidentConversationAsync(SlackPlatformName.Value, pinChannel, cancellationToken))
                {
                    return null;
                }

                return new CapturedChatEvent(SlackPlatformName.Value, pinChannel, TimelineKind.MessagePinned, await PersonAsync(message.User ?? message.Username, cancellationToken), message.Text ?? "",
                    DeclareMetadata.ParseTs(message.Ts) ?? DateTimeOffset.UnixEpoch, $"{pinChannel}:{message.Ts}");

            case "reaction_added" when e.Item is { Type: "message", Channel: not null, Ts: not null } item
                && string.Equals(e.Reaction, options.Value.CaptureReaction, StringComparison.Ordinal):
                if (!await service.IsIncidentConversationAsync(SlackPlatformName.Value, item.Channel, cancellationToken))
                {
                    // Reactions anywhere else are none of the bot's business: not worth a Web API read.
                    return null;
                }

                var original = await api.GetMessageAsync(item.Channel, item.Ts, cancellationToken);
                if (original is null)
                {
                    return null;
                }

                return new CapturedChatEvent(SlackPlatformName.Value, item.Channel, TimelineKind.MessageReacted, await PersonAsync(original.User, cancellationToken), original.Text,
                    DeclareMetadata.ParseTs(item.Ts) ?? DateTimeOffset.UnixEpoch, $"{item.Channel}:{item.Ts}");

            case "member_joined_channel" when e.Channel is not null && e.User is not null:
                if (!await service.IsIncidentConversationAsync(SlackPlatformName.Value, e.Channel, cancellationToken))
                {
                    return null;
                }

                var joined = await PersonAsync(e.User, cancellationToken);
                return new CapturedChatEvent(SlackPlatformName.Value, e.Channel, TimelineKind.ParticipantJoined, joined, $"{joined.Name} joined the incident channel.",
                    DeclareMetadata.ParseTs(e.EventTs) ?? DateTimeOffset.UnixEpoch, $"join:{e.Channel}:{e.User}:{e.EventTs}");

            default:
                return null;
        }
    }

    /// <summary>The author with the name Slack shows for them (the postmortem's "Who" column), the id when unknown.</summary>
    private async Task<Person> PersonAsync(string? user, CancellationToken cancellationToken) =>
        user is null ? new Person("unknown", "unknown") : new Person(user, await api.DisplayNameAsync(user, cancellationToken));
}
