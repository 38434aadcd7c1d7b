using System.Text;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Delivers outbox messages to Slack. Every step of an operation is safe to repeat: a channel that was
/// created is remembered before anything else, "already" answers count as success.
/// </summary>
public sealed class SlackChatPlatform(SlackApiClient api) : IChatPlatform
{
    public const int TopicMax = 250;
    private const int MaxNameAttempts = 20;

    public string Platform => SlackPlatformName.Value;

    public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverCoreAsync(item.Message, context, cancellationToken);
        }
        catch (SlackRateLimitedException e)
        {
            return new TransientFailure($"{e.Method}: ratelimited", e.RetryAfter);
        }
        catch (HttpRequestException e)
        {
            return new TransientFailure($"HTTP request failed: {e.HttpRequestError}");
        }
        catch (Exception e) when (e is SlackHttpException or SlackApiException or SlackTimeoutException)
        {
            return SlackFailures.IsTransient(e) ? new TransientFailure(e.Message) : new PermanentFailure(e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TransientFailure("timed out");
        }
    }

    private async Task<DeliveryResult> DeliverCoreAsync(OutgoingMessage message, IDeliveryContext context, CancellationToken ct)
    {
        var incidentId = message.IncidentId ?? 0;
        var incident = await context.GetIncidentAsync(incidentId, ct);
        if (message.Operation == ChatOperation.OpenIncidentConversation)
        {
            return await OpenAsync(incidentId, incident?.ConversationId, message.Conversation!, context, ct);
        }

        var incidentChannel = incident?.ConversationId;
        var channel = message.ConversationId ?? incidentChannel;
        if (channel is null || (message.Message?.LinksIncidentConversation == true && incidentChannel is null))
        {
            // The channel is still being created (its open is retrying): wait for it.
            return new TransientFailure("incident channel not created yet");
        }

        switch (message.Operation)
        {
            case ChatOperation.Post:
                // An anchored message already stored was posted by an earlier attempt that failed later
                // (its pin): posting again would show it twice, so only the rest is retried.
                var postedTs = message.Anchor is { } stored ? await context.GetAnchorAsync(incidentId, stored, ct) : null;
                if (postedTs is null)
                {
                    var (text, blocks) = BlockKitRenderer.Render(message.Message!, incidentChannel);
                    var posted = await api.PostMessageAsync(channel, text, blocks, ct);
                    postedTs = posted.Ts;
                    channel = posted.Channel;
                    if (message.Anchor is { } anchor)
                    {
                        await context.SetAnchorAsync(incidentId, anchor, posted.Ts, ct);
                    }
                }

                if (message.Pin)
                {
                    await IgnoringAsync(() => api.PinAsync(channel, postedTs, ct), "already_pinned");
                }

                return DeliveryResult.Ok;

            case ChatOperation.Update:
                // The message clicked on is named directly (its ts); any other by the anchor that remembers it.
                var ts = message.MessageId ?? (message.Anchor is { } named ? await context.GetAnchorAsync(incidentId, named, ct) : null);
                if (ts is null)
                {
                    return new PermanentFailure($"no '{message.Anchor ?? message.MessageId}' message to update");
                }

                var (updateText, updateBlocks) = BlockKitRenderer.Render(message.Message!, incidentChannel);
                await api.UpdateMessageAsync(channel, ts, updateText, updateBlocks, ct);
                return DeliveryResult.Ok;

            case ChatOperation.PostPrivate:
                await api.PostEphemeralAsync(channel, message.RecipientId!, SlackMrkdwn.Render(message.Message!.Text, BlockKitRenderer.FallbackTextMax), ct);
                return DeliveryResult.Ok;

            case ChatOperation.SetTopic:
                await api.SetTopicAsync(channel, BlockKitRenderer.Clip(message.Message!.Text.PlainText, TopicMax), ct);
                return DeliveryResult.Ok;

            case ChatOperation.UploadFile:
                var file = message.File!;
                await api.UploadFileAsync(channel, file.Name, file.Title, Encoding.UTF8.GetBytes(file.Content), ct);
                return DeliveryResult.Ok;

            case ChatOperation.ArchiveConversation:
                // Archived by hand already: the state we wanted.
                await IgnoringAsync(() => api.ArchiveAsync(channel, ct), "already_archived");
                return DeliveryResult.Ok;

            default:
                return new PermanentFailure($"unsupported operation {message.Operation}");
        }
    }

    private async Task<DeliveryResult> OpenAsync(long incidentId, string? existing, ConversationSpec spec, IDeliveryContext context, CancellationToken ct)
    {
        var channel = existing;
        for (var attempt = 1; channel is null; attempt++)
        {
            var name = attempt == 1 ? spec.Name : ChannelNames.WithSuffix(spec.Name, attempt);
            try
            {
                channel = (await api.CreateConversationAsync(name, ct)).Channel.Id;
            }
            catch (SlackApiException e) when (e.Error == "name_taken" && attempt < MaxNameAttempts)
            {
                // Someone has the name (an archived channel, a person's): try the next suffix.
            }
        }

        // Remembered before anything else, so a retry after a later failure never creates a second channel.
        await context.SetConversationAsync(incidentId, channel, null, ct);
        if (spec.Invitees.Count > 0)
        {
            // Invited with force: Slack invites the valid ids and still names the ones it does not know
            // (user_not_found); one deactivated responder must not keep the channel from opening.
            await IgnoringAsync(() => api.InviteAsync(channel, spec.Invitees, ct), "already_in_channel", "cant_invite_self", "user_not_found");
        }

        await api.SetTopicAsync(channel, BlockKitRenderer.Clip(spec.Topic, TopicMax), ct);
        await api.SetPurposeAsync(channel, BlockKitRenderer.Clip(spec.Purpose, TopicMax), ct);
        return DeliveryResult.Ok;
    }

    private static async Task IgnoringAsync(Func<Task> call, params string[] harmless)
    {
        try
        {
            await call();
        }
        catch (SlackApiException e) when (harmless.Contains(e.Error))
        {
            // The state we wanted is already there.
        }
    }
}
