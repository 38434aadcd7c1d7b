namespace IncidentBot.Slack;

/// <summary>A token that ends when a limit on the injected clock passes or when the caller's token ends.</summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _either;

    public Deadline(TimeSpan limit, TimeProvider clock, CancellationToken cancellationToken)
    {
        // CancelAfter on a linked source would use the system clock: the timer is a source of its own.
        _timer = new CancellationTokenSource(limit, clock);
        _either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    public CancellationToken Token => _either.Token;

    public void Dispose()
    {
        _either.Dispose();
        _timer.Dispose();
    }
}
