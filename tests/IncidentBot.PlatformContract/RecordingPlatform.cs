using IncidentBot.Core.Ports;

namespace IncidentBot.PlatformContract;

/// <summary>The adapter under test, unchanged, with every attempt the dispatcher made through it and what it answered.</summary>
public sealed class RecordingPlatform(IChatPlatform inner, TimeProvider clock) : IChatPlatform
{
    private readonly object _gate = new();
    private readonly List<Attempt> _attempts = [];

    public string Platform => inner.Platform;

    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.ToList();
            }
        }
    }

    /// <summary>The rows delivered, in the order they were written (outbox id).</summary>
    public IReadOnlyList<OutboxItem> Delivered => Attempts.Where(a => a.Result is Delivered).Select(a => a.Item).OrderBy(i => i.Id).ToList();

    public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        try
        {
            var result = await inner.DeliverAsync(item, context, cancellationToken);
            Add(new Attempt(item, result, at));
            return result;
        }
        catch (Exception e)
        {
            // An adapter answers with a result; one that throws breaks the contract (the dispatcher would retry it forever).
            Add(new Attempt(item, null, at) { Thrown = e });
            throw;
        }
    }

    private void Add(Attempt attempt)
    {
        lock (_gate)
        {
            _attempts.Add(attempt);
        }
    }

    public string Describe() =>
        string.Join("; ", Attempts.Select(a => $"#{a.Item.Id} {a.Item.Message.Operation}: {(a.Thrown is { } e ? $"threw {e.GetType().Name}: {e.Message}" : a.Result)}"));
}

/// <summary>One delivery attempt: the row, what the adapter answered (null when it threw), and when (by the test's clock).</summary>
public sealed record Attempt(OutboxItem Item, DeliveryResult? Result, DateTimeOffset At)
{
    public Exception? Thrown { get; init; }
}
