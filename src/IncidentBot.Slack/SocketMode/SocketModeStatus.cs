namespace IncidentBot.Slack.SocketMode;

/// <summary>The state of one Socket Mode connection, as readiness shows it.</summary>
public enum SocketState
{
    /// <summary>Opening for the first time: no hello yet.</summary>
    Connecting,

    /// <summary>Said hello; envelopes are taken.</summary>
    Connected,

    /// <summary>Lost or failed to open; trying again with backoff.</summary>
    Reconnecting,

    /// <summary>Slack or the token said no for good (link_disabled, invalid_auth): no more tries.</summary>
    Disabled,
}

/// <summary>
/// What /readyz shows about Socket Mode. It never fails readiness: the HTTP routes and the outbox work without it,
/// and a replica taken out of the load balancer would not connect any better.
/// </summary>
public sealed class SocketModeStatus(TimeProvider clock)
{
    private readonly object _lock = new();
    private readonly Dictionary<int, (SocketState State, DateTimeOffset Since)> _slots = [];
    private string? _disabledReason;

    public bool IsDisabled { get { lock (_lock) { return _disabledReason is not null; } } }

    public void Set(int slot, SocketState state)
    {
        lock (_lock)
        {
            // "Reconnecting since" is when the connection was lost, not the latest failed try.
            if (!_slots.TryGetValue(slot, out var now) || now.State != state)
            {
                _slots[slot] = (state, clock.GetUtcNow());
            }
        }
    }

    /// <summary>Turns Socket Mode off for good; true the first time only (so it is logged once).</summary>
    public bool Disable(string reason)
    {
        lock (_lock)
        {
            if (_disabledReason is not null)
            {
                return false;
            }

            _disabledReason = reason;
            foreach (var slot in _slots.Keys.ToList())
            {
                _slots[slot] = (SocketState.Disabled, clock.GetUtcNow());
            }

            return true;
        }
    }

    /// <summary>An envelope was answered: its kind (command, interaction, event) and how long the answer took. The metrics listen.</summary>
    public event Action<string, TimeSpan>? EnvelopeAnswered;

    /// <summary>Raises <see cref="EnvelopeAnswered"/>.</summary>
    public void Answered(string kind, TimeSpan elapsed) => EnvelopeAnswered?.Invoke(kind, elapsed);

    /// <summary>How many connections are in each state (empty while Socket Mode is off): what the metrics report.</summary>
    public IReadOnlyList<(SocketState State, int Count)> CountByState()
    {
        lock (_lock)
        {
            return _slots.Values.GroupBy(s => s.State).Select(g => (g.Key, g.Count())).OrderBy(c => c.Key).ToList();
        }
    }

    /// <summary>The readiness detail: the overall state, how many connections are up, and why it is off.</summary>
    public object Snapshot()
    {
        lock (_lock)
        {
            var connected = _slots.Values.Count(s => s.State == SocketState.Connected);
            var worst = _disabledReason is not null ? SocketState.Disabled
                : _slots.Count == 0 ? SocketState.Connecting
                : _slots.Values.Select(s => s.State).Max();
            var since = _slots.Values.Where(s => s.State == worst).Select(s => s.Since).DefaultIfEmpty(clock.GetUtcNow()).Min();
            return new
            {
                state = worst.ToString().ToLowerInvariant(),
                since,
                connections = connected,
                of = _slots.Count,
                reason = _disabledReason,
            };
        }
    }
}
