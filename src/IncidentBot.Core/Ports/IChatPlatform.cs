using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Ports;

/// <summary>How one delivery attempt ended.</summary>
public abstract record DeliveryResult
{
    public static readonly DeliveryResult Ok = new Delivered();
}

/// <summary>The platform said ok.</summary>
public sealed record Delivered : DeliveryResult;

/// <summary>Worth trying again, after <see cref="RetryAfter"/> when the platform said so (HTTP 429).</summary>
public sealed record TransientFailure(string Error, TimeSpan? RetryAfter = null) : DeliveryResult;

/// <summary>Will never succeed (channel gone, token revoked): recorded and given up on.</summary>
public sealed record PermanentFailure(string Error) : DeliveryResult;

/// <summary>What a platform may read and remember about an incident while it delivers, and where a person can be reached alone.</summary>
public interface IDeliveryContext
{
    Task<Incident?> GetIncidentAsync(long incidentId, CancellationToken cancellationToken);

    Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken);

    Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken);

    Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken);

    /// <summary>The person's 1:1 conversation with the bot as last recorded, or null when none is known (see <see cref="Messaging.ChatOperation.PostDirect"/>).</summary>
    Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the person's 1:1 conversation while the recorded one is still <paramref name="conversationId"/>, recorded no
    /// later than <paramref name="recordedNoLaterThan"/> (the platform refused it: the app was removed or blocked there);
    /// false when it was not.
    /// </summary>
    Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken);
}

/// <summary>A chat platform that delivers outbox messages (Slack, Teams).</summary>
public interface IChatPlatform
{
    /// <summary>"slack" or "teams": matches <see cref="Messaging.OutgoingMessage.Platform"/>.</summary>
    string Platform { get; }

    Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken);
}

/// <summary>Told when a use case committed messages to the outbox, so delivery can start at once.</summary>
public interface IOutboxObserver
{
    void MessagesWritten();
}
