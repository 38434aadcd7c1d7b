namespace IncidentBot.Host.Sandbox;

/// <summary>
/// Tells waiting sandbox pages in this process that the adapter wrote something, so a long poll answers at once. A
/// waiter also reads the store again every second, so writes of another replica are seen soon too.
/// </summary>
public sealed class SandboxFeed
{
    private TaskCompletionSource _next = NewSignal();

    /// <summary>Wakes every waiter; the next waiters wait for the next write.</summary>
    public void Published() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    /// <summary>The signal of the next write, taken before reading the store so a write in between is not missed.</summary>
    public Task NextWrite => Volatile.Read(ref _next).Task;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
