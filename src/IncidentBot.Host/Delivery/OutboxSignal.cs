namespace IncidentBot.Host.Delivery;

/// <summary>Wakes the dispatcher when a use case wrote to the outbox, so delivery starts at once.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one wake-up is enough.
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a notification or until <paramref name="timeout"/> passes on <paramref name="clock"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        // SemaphoreSlim's own timeout runs on the system clock; this one runs on the injected clock.
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _signal.WaitAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Bridges the Core's outbox observer port to the dispatcher's wake-up signal.</summary>
internal sealed class OutboxSignalObserver(OutboxSignal signal) : Core.Ports.IOutboxObserver
{
    public void MessagesWritten() => signal.Notify();
}
