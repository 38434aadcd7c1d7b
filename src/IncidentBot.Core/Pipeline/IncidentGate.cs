namespace IncidentBot.Core.Pipeline;

/// <summary>
/// Serialises changes to one incident within this process: a read-decide-save holds its incident's turn,
/// so in-process writers never lose a version race to each other. Different incidents never wait on each
/// other, and an incident nobody is changing holds nothing.
/// </summary>
public sealed class IncidentGate
{
    private readonly Dictionary<long, Turnstile> _turnstiles = [];

    /// <summary>How many incidents have a turn held or waited for (idle ones are forgotten).</summary>
    public int ActiveCount
    {
        get
        {
            lock (_turnstiles)
            {
                return _turnstiles.Count;
            }
        }
    }

    /// <summary>Waits for <paramref name="incidentId"/>'s turn; disposing the result ends it.</summary>
    public async Task<IDisposable> EnterAsync(long incidentId, CancellationToken cancellationToken)
    {
        Turnstile turnstile;
        lock (_turnstiles)
        {
            if (!_turnstiles.TryGetValue(incidentId, out turnstile!))
            {
                turnstile = new Turnstile();
                _turnstiles.Add(incidentId, turnstile);
            }

            turnstile.Users++;
        }

        try
        {
            await turnstile.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(incidentId, turnstile);
            throw;
        }

        return new Turn(this, incidentId, turnstile);
    }

    private void Exit(long incidentId, Turnstile turnstile)
    {
        turnstile.Semaphore.Release();
        Leave(incidentId, turnstile);
    }

    private void Leave(long incidentId, Turnstile turnstile)
    {
        lock (_turnstiles)
        {
            if (--turnstile.Users == 0)
            {
                // Nobody holds or waits for it, and a newcomer would find it under this lock: safe to drop.
                _turnstiles.Remove(incidentId);
                turnstile.Semaphore.Dispose();
            }
        }
    }

    /// <summary>One incident's semaphore and how many hold or wait for it (changed under the gate's lock).</summary>
    private sealed class Turnstile
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Turn(IncidentGate gate, long incidentId, Turnstile turnstile) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                gate.Exit(incidentId, turnstile);
            }
        }
    }
}
