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
    /// written is used.
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

        await connector.SendAsync(ServiceUrl(direct.ServiceUrl), direct.ConversationId, CardActivity(content, incident, incident.ConversationId), ct);
        return DeliveryResult.Ok;
    }
}
