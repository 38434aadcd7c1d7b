using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;

namespace IncidentBot.Core.Service;

public sealed partial class IncidentService
{
    /// <summary>
    /// Queues messages that change no incident (an answer to a command where the platform has no
    /// private reply in the HTTP response, a welcome) through the outbox, once per inbound event.
    /// </summary>
    /// <returns>False when the inbound event was already answered.</returns>
    public async Task<bool> SendAsync(IReadOnlyList<OutgoingMessage> messages, string? inboundEventId, CancellationToken cancellationToken)
    {
        if (await store.EnqueueAsync(messages, inboundEventId, cancellationToken) == SaveResult.Duplicate)
        {
            return false;
        }

        if (messages.Count > 0)
        {
            outboxObserver?.MessagesWritten();
        }

        return true;
    }
}
