using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;

namespace IncidentBot.Teams.Outbound;

public sealed partial class TeamsChatPlatform
{
    /// <summary>
    /// A message to one person in their 1:1 conversation with the bot, as last recorded when they wrote to it or added the
    /// app: Teams lets a bot reach a person alone only there, so where there is none nothing is sent (the mention in the
    /// incident conversation, written with it, is what they get). Looked up now, so a 1:1 recorded after the message was
    /// written is used. Teams does not always say when the app was removed or blocked in a 1:1: a send it refuses for
    /// the conversation (see <see cref="BotConnectorClient.RefusesConversation"/>) forgets it, unless another was recorded
    /// meanwhile, so later messages go to the incident conversation only and none fails again; the person has no 1:1
    /// then, and the message counts as delivered, as where there was none. A transient failure keeps it.
    /// </summary>
    private async Task<DeliveryResult> PostDirectAsync(OutgoingMessage message, Incident? incident, IDeliveryContext context, CancellationToken ct)
    {
        if (message.RecipientId is not { Length: > 0 } recipient || message.Message is not { } content || incident is null)
        {
            return new PermanentFailure("a direct message needs a recipient, a message and its incident");
        }

        if (content.LinksIncidentConversation && incident.ConversationId is null)
        {
            return new TransientFailure("incident conversation not created yet");
        }

        if (await context.GetDirectConversationAsync(Platform, incident.WorkspaceId, recipient, ct) is not { } direct)
        {
            OutboundLog.NoDirectConversation(logger, incident.Id);
            return DeliveryResult.Ok;
        }

        try
        {
            await connector.SendAsync(ServiceUrl(direct.ServiceUrl), direct.ConversationId, CardActivity(content, incident, incident.ConversationId), ct);
        }
        catch (TeamsApiException e) when (BotConnectorClient.RefusesConversation(e))
        {
            var forgotten = await context.ForgetDirectConversationAsync(Platform, incident.WorkspaceId, recipient, direct.ConversationId, direct.SeenAt, ct);
            OutboundLog.DirectConversationRefused(logger, incident.Id, e.StatusCode, e.ErrorCode, forgotten);
        }

        return DeliveryResult.Ok;
    }
}
