using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Delivery;

/// <summary>Lets a platform read and remember incident conversation and message ids, and read and forget people's 1:1 conversations, through the store.</summary>
internal sealed class DeliveryContext(IIncidentStore store) : IDeliveryContext
{
    public Task<Incident?> GetIncidentAsync(long incidentId, CancellationToken cancellationToken) => store.GetAsync(incidentId, cancellationToken);

    public Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken) =>
        store.SetConversationAsync(incidentId, conversationId, serviceUrl, cancellationToken);

    public Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken) =>
        store.GetAnchorAsync(incidentId, anchor, cancellationToken);

    public Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken) =>
        store.SetAnchorAsync(incidentId, anchor, messageRef, cancellationToken);

    public Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken) =>
        store.GetDirectConversationAsync(platform, workspaceId, userId, cancellationToken);

    public Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken) =>
        store.ForgetDirectConversationAsync(platform, workspaceId, userId, conversationId, recordedNoLaterThan, cancellationToken);
}
