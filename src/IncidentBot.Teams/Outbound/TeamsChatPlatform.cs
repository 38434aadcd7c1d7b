using System.Text.Json.Nodes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Teams.Cards;
using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Outbound;

/// <summary>
/// Delivers outbox messages to Teams. Every step is safe to repeat: a channel or thread that was created is
/// remembered before anything else can fail, so a retry never creates a second one. Retrying itself is the
/// dispatcher's; this class only says whether a failure is worth retrying.
/// </summary>
public sealed partial class TeamsChatPlatform(
    BotConnectorClient connector, GraphChannelClient graph, IOptions<TeamsOptions> options, ILogger<TeamsChatPlatform> logger) : IChatPlatform
{
    /// <summary>Anchor under which a Graph channel created for an incident is remembered until its thread exists.</summary>
    public const string ChannelAnchor = "channel";

    private const int MaxNameAttempts = 20;

    private readonly TeamsOptions _options = options.Value;
    private int _fallbackLogged;

    public string Platform => Inbound.TeamsActivityEndpoint.Platform;

    public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverCoreAsync(item.Message, context, cancellationToken);
        }
        catch (TeamsApiException e)
        {
            return e.IsTransient ? new TransientFailure(e.Message, e.RetryAfter) : new PermanentFailure(e.Message);
        }
        catch (HttpRequestException e)
        {
            return new TransientFailure($"HTTP request failed: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TransientFailure("timed out");
        }
    }

    private async Task<DeliveryResult> DeliverCoreAsync(OutgoingMessage message, IDeliveryContext context, CancellationToken ct)
    {
        var incidentId = message.IncidentId ?? 0;
        var incident = message.IncidentId is null ? null : await context.GetIncidentAsync(incidentId, ct);
        var serviceUrl = ServiceUrl(message.ServiceUrl ?? incident?.ServiceUrl);
        if (message.Operation == ChatOperation.OpenIncidentConversation)
        {
            return incident is null
                ? new PermanentFailure($"incident {incidentId} not found")
                : await OpenAsync(incident, message.Conversation, serviceUrl, context, ct);
        }

        if (message.Operation == ChatOperation.PostDirect)
        {
            return await PostDirectAsync(message, incident, context, ct);
        }

        var incidentConversation = incident?.ConversationId;
        var target = message.ConversationId ?? incidentConversation;
        if (target is null || (message.Message?.LinksIncidentConversation == true && incidentConversation is null))
        {
            // The incident's conversation is still being opened (its open is retrying): wait for it.
            return new TransientFailure("incident conversation not created yet");
        }

        switch (message.Operation)
        {
            // Teams has no private message inside a conversation: an answer to one person is a reply there.
            case ChatOperation.Post or ChatOperation.PostPrivate:
                if (message.Anchor is { } stored && await context.GetAnchorAsync(incidentId, stored, ct) is not null)
                {
                    // Posted by an earlier delivery of this row (a lease that lapsed, a stop before it was marked sent):
                    // an anchored post is posted once per incident.
                    return DeliveryResult.Ok;
                }

                var (conversation, activityId) = await PostAsync(serviceUrl, target, incident, CardActivity(message.Message!, incident, incidentConversation), ct);
                if (message.Anchor is { } anchor)
                {
                    if (activityId is null)
                    {
                        OutboundLog.NoActivityId(logger, incidentId, anchor);
                    }
                    else
                    {
                        await context.SetAnchorAsync(incidentId, anchor, $"{conversation}\n{activityId}", ct);
                    }
                }

                // message.Pin: Teams has no API for a bot to pin a message; the header stays the thread's root card instead.
                return DeliveryResult.Ok;

            case ChatOperation.Update:
                var reference = message.MessageId ?? await context.GetAnchorAsync(incidentId, message.Anchor!, ct);
                if (reference is null)
                {
                    return new PermanentFailure($"no '{message.Anchor}' message to update");
                }

                var (updateConversation, updateId) = SplitAnchor(reference, target);
                await connector.UpdateAsync(serviceUrl, updateConversation, updateId, CardActivity(message.Message!, incident, incidentConversation), ct);
                return DeliveryResult.Ok;

            case ChatOperation.SetTopic:
                // Teams threads have no topic, and renaming a channel needs another Graph permission: the header card
                // already shows state, severity and commander, and is updated on every change.
                return DeliveryResult.Ok;

            case ChatOperation.ArchiveConversation:
                // A thread cannot be archived, and archiving a channel needs another Graph permission: the conversation
                // stays as it is, which the operation allows a platform without archives.
                return DeliveryResult.Ok;

            case ChatOperation.UploadFile:
                await PostAsync(serviceUrl, target, incident, PostmortemActivity(message.File!, incident), ct);
                return DeliveryResult.Ok;

            default:
                return new PermanentFailure($"unsupported operation {message.Operation}");
        }
    }

    /// <summary>Posting to a channel itself starts a thread there; everything else is a plain send.</summary>
    private async Task<(string Conversation, string? ActivityId)> PostAsync(string serviceUrl, string target, Incident? incident, JsonObject activity, CancellationToken ct)
    {
        if (TeamsConversations.IsChannel(target))
        {
            var thread = await connector.CreateChannelThreadAsync(serviceUrl, target, TenantId(incident), activity, ct);
            return (thread.Id, thread.ActivityId);
        }

        return (target, await connector.SendAsync(serviceUrl, target, activity, ct));
    }

    private async Task<DeliveryResult> OpenAsync(Incident incident, ConversationSpec? spec, string serviceUrl, IDeliveryContext context, CancellationToken ct)
    {
        if (incident.ConversationId is not null)
        {
            return DeliveryResult.Ok;
        }

        var channel = await context.GetAnchorAsync(incident.Id, ChannelAnchor, ct);
        if (channel is null && !string.IsNullOrWhiteSpace(_options.TeamId))
        {
            channel = await CreateChannelAsync(incident, spec, ct);
            if (channel is not null)
            {
                // Remembered before the thread is started: if that fails, the retry reuses this channel.
                await context.SetAnchorAsync(incident.Id, ChannelAnchor, channel, ct);
            }
        }
        else if (channel is null)
        {
            LogFallbackOnce("Teams:TeamId is not set");
        }

        var (home, welcome) = channel is not null
            ? (channel, "This channel is the incident's home: updates and the timeline are posted here.")
            : (_options.IncidentsChannelId, "This thread is the incident's home: reply here to work on it.");
        string conversation;
        if (!string.IsNullOrWhiteSpace(home))
        {
            var intro = AdaptiveCardRenderer.TextActivity($"**{incident.Key}: {incident.Title}**. {welcome}");
            conversation = (await connector.CreateChannelThreadAsync(serviceUrl, home, TenantId(incident), intro, ct)).Id;
        }
        else if (incident.OriginConversationId is { } origin)
        {
            // Nowhere to open a thread: the incident lives in the conversation it was declared from.
            conversation = origin;
        }
        else
        {
            return new PermanentFailure($"nowhere to open {incident.Key}: set {TeamsOptions.Section}:IncidentsChannelId");
        }

        await context.SetConversationAsync(incident.Id, conversation, serviceUrl, ct);
        OutboundLog.ConversationOpened(logger, incident.Id, conversation);
        return DeliveryResult.Ok;
    }

    /// <summary>A Graph channel for the incident, or null when the app may not create channels (403).</summary>
    private async Task<string?> CreateChannelAsync(Incident incident, ConversationSpec? spec, CancellationToken ct)
    {
        var baseName = TeamsChannelNames.Sanitize(spec?.Name ?? incident.Key);
        var description = spec?.Purpose ?? $"{incident.Key}: {incident.Title}";
        for (var attempt = 1; ; attempt++)
        {
            var name = attempt == 1 ? baseName : TeamsChannelNames.WithSuffix(baseName, attempt);
            try
            {
                return await graph.CreateChannelAsync(_options.TeamId!, name, description, ct);
            }
            catch (TeamsApiException e) when (GraphChannelClient.IsForbidden(e))
            {
                LogFallbackOnce($"Graph answered 403 {e.ErrorCode}");
                return null;
            }
            catch (TeamsApiException e) when (GraphChannelClient.IsNameTaken(e))
            {
                // An earlier attempt may have created it and lost the answer (a timeout): ours carries our description.
                if (await graph.FindChannelAsync(_options.TeamId!, name, ct) is { } existing
                    && existing.Description == GraphChannelClient.Description(description))
                {
                    OutboundLog.ChannelReused(logger, name, incident.Id);
                    return existing.Id;
                }

                if (attempt >= MaxNameAttempts)
                {
                    throw;
                }

                OutboundLog.ChannelNameTaken(logger, name, TeamsChannelNames.WithSuffix(baseName, attempt + 1));
            }
        }
    }

    private void LogFallbackOnce(string reason)
    {
        if (Interlocked.Exchange(ref _fallbackLogged, 1) == 0)
        {
            OutboundLog.ChannelFallback(logger, reason);
        }
    }

    /// <summary>The message's own service URL (an answer to an activity), else the incident's, else the configured default.</summary>
    private string ServiceUrl(string? known)
    {
        return TeamsHttp.WithTrailingSlash(string.IsNullOrWhiteSpace(known) ? _options.DefaultServiceUrl : known);
    }

    private string? TenantId(Incident? incident) => string.IsNullOrWhiteSpace(_options.TenantId) ? incident?.WorkspaceId : _options.TenantId;

    /// <summary>The card activity of a message, linking the incident's conversation when the message asks for it.</summary>
    private static JsonObject CardActivity(ChatMessage message, Incident? incident, string? incidentConversation) =>
        AdaptiveCardRenderer.Activity(
            message,
            AdaptiveCardRenderer.MentionNames(incident),
            message.LinksIncidentConversation ? TeamsConversations.DeepLink(incidentConversation) : null);

    /// <summary>Anchors are stored as <c>"{conversationId}\n{activityId}"</c>; a bare id means the current conversation.</summary>
    private static (string Conversation, string ActivityId) SplitAnchor(string reference, string fallbackConversation)
    {
        var newline = reference.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? (fallbackConversation, reference) : (reference[..newline], reference[(newline + 1)..]);
    }
}
