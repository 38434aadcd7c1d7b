namespace IncidentBot.Testing;

/// <summary>
/// Faults for calls counted across every route of a fake: "let the next <c>after</c> calls through, then fail
/// <c>count</c>", whichever method they are. What a contract needs to fail each step of a delivery in turn
/// without knowing which calls the platform makes.
/// </summary>
public sealed class CallFaults<TFault>
    where TFault : class
{
    private readonly object _gate = new();
    private readonly List<(long From, long To, TFault Fault)> _armed = [];
    private long _calls;

    /// <summary>The next <paramref name="after"/> calls pass, the <paramref name="count"/> after them fail with <paramref name="fault"/>.</summary>
    public void Arm(int after, int count, TFault fault)
    {
        lock (_gate)
        {
            _armed.Add((_calls + after, _calls + after + count, fault));
        }
    }

    /// <summary>Faults armed that no call has met yet.</summary>
    public int Left
    {
        get
        {
            lock (_gate)
            {
                return _armed.Sum(a => (int)Math.Max(0, a.To - Math.Max(a.From, _calls)));
            }
        }
    }

    /// <summary>Counts one call; its fault, or null when it passes.</summary>
    public TFault? Next()
    {
        lock (_gate)
        {
            var call = _calls++;
            var hit = _armed.FirstOrDefault(a => call >= a.From && call < a.To);
            _armed.RemoveAll(a => a.To <= _calls);
            return hit.Fault;
        }
    }
}
