using System.Collections.Concurrent;
using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Tests.Support;

/// <summary>
/// A test double of a chat platform: records what it was asked to deliver, creates conversations and
/// message ids as a platform would, and fails on demand.
/// </summary>
public sealed class RecordingPlatform(string platform = "slack") : IChatPlatform
{
    private int _ids;

    public string Platform { get; } = platform;

    public ConcurrentQueue<OutboxItem> Delivered { get; } = new();

    /// <summary>Decides the outcome of each attempt; null means success.</summary>
    public Func<OutboxItem, DeliveryResult?> Behaviour { get; set; } = _ => null;

    public int Attempts => _attempts;

    private int _attempts;

    public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (Behaviour(item) is { } failure)
        {
            return failure;
        }

        var message = item.Message;
        if (message.Operation == Core.Messaging.ChatOperation.OpenIncidentConversation)
        {
            await context.SetConversationAsync(message.IncidentId!.Value, $"C{Interlocked.Increment(ref _ids):D4}", null, cancellationToken);
        }
        else if (message.Anchor is { } anchor && message.Operation == Core.Messaging.ChatOperation.Post)
        {
            await context.SetAnchorAsync(message.IncidentId!.Value, anchor, $"ts-{Interlocked.Increment(ref _ids)}", cancellationToken);
        }

        Delivered.Enqueue(item);
        return DeliveryResult.Ok;
    }
}
