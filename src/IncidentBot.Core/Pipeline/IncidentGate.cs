using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Core.Pipeline;

/// <summary>
/// Serialises changes to one incident within this process: a read-decide-save holds its incident's turn,
/// so in-process writers never lose a version race to each other. Different incidents never wait on each
/// other, and an incident nobody is changing holds nothing.
/// </summary>
public sealed class IncidentGate
{
    private readonly Dictionary<long, Turnstile> _turnstiles = [];

    /// <summary>Per incident, the newest version a save in this process wrote (or queued, on an ordered store).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> _written = new();

    /// <summary>
    /// Whether <paramref name="read"/>, read before its turn began, is still as new as anything this process wrote to it:
    /// then the turn may decide on it instead of reading again (another replica's change is caught by the version check).
    /// </summary>
    public bool IsCurrent(Incident read) => !_written.TryGetValue(read.Id, out var written) || read.Version >= written;

    internal void Wrote(Incident incident) =>
        _written.AddOrUpdate(incident.Id, incident.Version, (_, known) => Math.Max(known, incident.Version));

    /// <summary>How many incidents have a turn held, waited for or still committing (idle ones are forgotten).</summary>
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
    public async Task<IncidentTurn> EnterAsync(long incidentId, CancellationToken cancellationToken)
    {
        var turnstile = Join(incidentId);

        try
        {
            await turnstile.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(turnstile);
            throw;
        }

        return new IncidentTurn(this, turnstile);
    }

    /// <summary>The turn of <paramref name="incidentId"/> when nobody holds it now; null (nothing waited for) otherwise.</summary>
    public IncidentTurn? TryEnter(long incidentId)
    {
        var turnstile = Join(incidentId);

        if (turnstile.Semaphore.Wait(0))
        {
            return new IncidentTurn(this, turnstile);
        }

        Leave(turnstile);
        return null;
    }

    /// <summary>The incident's turnstile, counted as used until <see cref="Leave"/>.</summary>
    private Turnstile Join(long incidentId)
    {
        lock (_turnstiles)
        {
            if (!_turnstiles.TryGetValue(incidentId, out var turnstile))
            {
                turnstile = new Turnstile(incidentId);
                _turnstiles.Add(incidentId, turnstile);
            }

            turnstile.Users++;
            return turnstile;
        }
    }

    internal void Leave(Turnstile turnstile)
    {
        lock (_turnstiles)
        {
            if (--turnstile.Users == 0)
            {
                // Nobody holds, waits for or still commits on it, and a newcomer would find it under this lock.
                _turnstiles.Remove(turnstile.IncidentId);
                turnstile.Semaphore.Dispose();
            }
        }
    }

    internal (Incident? Incident, int Generation) ReadHandedOn(Turnstile turnstile)
    {
        lock (_turnstiles)
        {
            return (turnstile.HandedOn, turnstile.Generation);
        }
    }

    /// <summary>Remembers <paramref name="next"/> for the next turn, unless a save failed since it was decided on.</summary>
    internal void HandOn(Turnstile turnstile, Incident next, int decidedAt)
    {
        lock (_turnstiles)
        {
            if (turnstile.Generation == decidedAt)
            {
                turnstile.HandedOn = next;
            }
        }
    }

    /// <summary>A save failed: what was handed on may be built on it, so the next turn reads the store.</summary>
    internal void Forget(Turnstile turnstile)
    {
        lock (_turnstiles)
        {
            turnstile.HandedOn = null;
            turnstile.Generation++;
        }
    }

    /// <summary>One incident's semaphore, the state handed on to the next turn, and how many use it (all under the gate's lock).</summary>
    internal sealed class Turnstile(long incidentId)
    {
        public long IncidentId { get; } = incidentId;

        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }

        public Incident? HandedOn { get; set; }

        public int Generation { get; set; }
    }
}

/// <summary>
/// One incident's turn. On a store that commits saves in call order (<see cref="IOrderedSaves"/>), <see cref="SaveAsync"/>
/// hands the turn on as soon as the change is queued, with the incident as the change leaves it: the next change
/// is decided while this one commits, and they share a commit. Elsewhere the turn lasts until the save ended.
/// </summary>
public sealed class IncidentTurn : IDisposable
{
    private readonly IncidentGate _gate;
    private readonly IncidentGate.Turnstile _turnstile;
    private int _decidedAt;
    private int _released;
    private int _ended;

    internal IncidentTurn(IncidentGate gate, IncidentGate.Turnstile turnstile)
    {
        _gate = gate;
        _turnstile = turnstile;
        (_, _decidedAt) = gate.ReadHandedOn(turnstile);
    }

    /// <summary>The incident as a change still committing left it; null when there is none (read the store).</summary>
    public Incident? HandedOn()
    {
        (var incident, _decidedAt) = _gate.ReadHandedOn(_turnstile);
        return incident;
    }

    /// <summary>Saves <paramref name="change"/>, handing the turn on early where the store allows it.</summary>
    public async Task<SaveResult> SaveAsync(IIncidentStore store, IncidentChange change, CancellationToken cancellationToken)
    {
        try
        {
            // Handed on when queued, which an ordered store may report before it commits on this very thread.
            var saving = store is IOrderedSaves ordered
                ? ordered.SaveAsync(change, () => HandOnQueued(change.Incident), cancellationToken)
                : store.SaveAsync(change, cancellationToken);
            var result = await saving;
            if (result == SaveResult.Saved)
            {
                _gate.Wrote(change.Incident);
            }
            else
            {
                _gate.Forget(_turnstile);
            }

            return result;
        }
        catch
        {
            _gate.Forget(_turnstile);
            throw;
        }
    }

    /// <summary>
    /// Records how <paramref name="change"/>, decided in this turn and saved with others (a batch, not <see cref="SaveAsync"/>),
    /// ended. Whatever the outcome, the next turn reads the store: what was handed on before is older than the batch.
    /// </summary>
    internal void Saved(IncidentChange change, SaveResult result)
    {
        if (result == SaveResult.Saved)
        {
            _gate.Wrote(change.Incident);
        }

        _gate.Forget(_turnstile);
    }

    /// <summary>A save of this turn's change (in a batch) threw, and part of it may have landed: the next turn reads the store.</summary>
    internal void SaveFailed() => _gate.Forget(_turnstile);

    private void HandOnQueued(Incident queued)
    {
        _gate.Wrote(queued);
        _gate.HandOn(_turnstile, queued, _decidedAt);
        Release();
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _turnstile.Semaphore.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            Release();
            _gate.Leave(_turnstile);
        }
    }
}
