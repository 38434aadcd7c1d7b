using System.Diagnostics.Metrics;
using IncidentBot.Core.Ports;
using IncidentBot.Slack.SocketMode;

namespace IncidentBot.Host.Metrics;

/// <summary>
/// IncidentBot's own instruments (meter <see cref="MeterName"/>). Exported to Prometheus they read
/// <c>incidentbot_inbound_requests_total</c>, <c>incidentbot_inbound_ack_duration_seconds</c>,
/// <c>incidentbot_deliveries_total</c>, <c>incidentbot_reminders_sent_total</c>, <c>incidentbot_followup_nudges_sent_total</c>, <c>incidentbot_outbox_depth</c>,
/// <c>incidentbot_outbox_oldest_age_seconds</c>, <c>incidentbot_incidents_open</c>, <c>incidentbot_store_reachable</c> and <c>incidentbot_socket_mode_connections</c>,
/// beside the stores' <c>incidentbot_store_commit_duration_seconds</c> (<see cref="Storage.StoreMetrics"/>) (<see cref="PrometheusNames"/>). Label values come only from
/// small fixed sets (platform, kind, result, severity, state): never a title, a user id or a secret.
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "IncidentBot";

    /// <summary>The series these instruments become in Prometheus (histograms add _bucket, _sum and _count).</summary>
    public static readonly IReadOnlyList<string> PrometheusNames =
    [
        "incidentbot_inbound_requests_total", "incidentbot_inbound_ack_duration_seconds", "incidentbot_deliveries_total",
        "incidentbot_reminders_sent_total", "incidentbot_followup_nudges_sent_total", "incidentbot_outbox_depth", "incidentbot_outbox_oldest_age_seconds",
        "incidentbot_incidents_open", "incidentbot_store_reachable", "incidentbot_socket_mode_connections",
        Storage.StoreMetrics.PrometheusName,
    ];

    /// <summary>Around Slack's 3-second rule and the 50 ms answer target.</summary>
    private static readonly double[] AckBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

    private readonly TimeProvider _clock;
    private readonly Counter<long> _inbound;
    private readonly Histogram<double> _ack;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _reminders;
    private readonly Counter<long> _followUpNudges;
    private volatile StoreSnapshot _snapshot = StoreSnapshot.Empty;
    private volatile bool _storeReachable;

    public BotMetrics(IMeterFactory meters, TimeProvider clock, SocketModeStatus? socketMode = null)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _inbound = meter.CreateCounter<long>("incidentbot.inbound.requests", "{request}", "Requests from chat platforms and alert senders, by platform, kind, status class and transport (http, socket).");
        _ack = meter.CreateHistogram("incidentbot.inbound.ack.duration", "s", "Time from a platform's request to our answer.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBuckets });
        _deliveries = meter.CreateCounter<long>("incidentbot.deliveries", "{message}", "Outbox delivery attempts by platform and result (sent, retried, given_up).");
        _reminders = meter.CreateCounter<long>("incidentbot.reminders.sent", "{reminder}", "Status-update reminders sent to commanders.");
        _followUpNudges = meter.CreateCounter<long>("incidentbot.followup_nudges.sent", "{nudge}", "Nudges sent to owners of overdue follow-ups.");
        meter.CreateObservableGauge("incidentbot.outbox.depth", ObserveDepth, "{message}", "Outbox messages not yet delivered, by platform.");
        meter.CreateObservableGauge("incidentbot.outbox.oldest.age", ObserveOldestAge, "s", "Age of the oldest undelivered outbox message, by platform.");
        meter.CreateObservableGauge("incidentbot.incidents.open", ObserveOpen, "{incident}", "Incidents not resolved, by severity and state.");
        if (socketMode is not null)
        {
            socketMode.EnvelopeAnswered += (kind, elapsed) => Inbound(Slack.Inbound.SlackPlatformName.Value, kind, StatusCodes.Status200OK, elapsed, "socket");
        }

        meter.CreateObservableGauge("incidentbot.socket_mode.connections", () => ObserveSocketMode(socketMode), "{connection}",
            "Slack Socket Mode connections by state (connecting, connected, reconnecting, disabled); none while Socket Mode is off.");
        meter.CreateObservableGauge("incidentbot.store.reachable", () => _snapshot.At is null ? [] : new[] { new Measurement<int>(_storeReachable ? 1 : 0) }, description: "1 while the last read of the store worked, 0 while it fails (readiness fails with it).");
    }

    /// <summary>When the store was last read for the gauges; null before the first read.</summary>
    public DateTimeOffset? SnapshotAt => _snapshot.At;

    /// <summary>A request answered over <paramref name="transport"/>: <c>http</c>, or <c>socket</c> for Slack's Socket Mode envelopes (acked, so 2xx).</summary>
    public void Inbound(string platform, string kind, int statusCode, TimeSpan elapsed, string transport = "http")
    {
        var status = new KeyValuePair<string, object?>("status", statusCode switch { < 300 => "2xx", < 400 => "3xx", < 500 => "4xx", _ => "5xx" });
        var where = new KeyValuePair<string, object?>("platform", platform);
        var what = new KeyValuePair<string, object?>("kind", kind);
        var how = new KeyValuePair<string, object?>("transport", transport);
        _inbound.Add(1, where, what, status, how);
        _ack.Record(elapsed.TotalSeconds, where, what, how);
    }

    public void Delivery(string platform, string result) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("platform", platform), new KeyValuePair<string, object?>("result", result));

    public void RemindersSent(int count)
    {
        if (count > 0)
        {
            _reminders.Add(count);
        }
    }

    public void FollowUpNudgesSent(int count)
    {
        if (count > 0)
        {
            _followUpNudges.Add(count);
        }
    }

    /// <summary>The store's numbers the gauges report until the next read (gauges are observed on scrape and must not wait on the store).</summary>
    public void Update(IReadOnlyList<OutboxBacklog> backlog, IReadOnlyList<OpenIncidentCount> open)
    {
        _snapshot = new StoreSnapshot(_clock.GetUtcNow(), backlog, open);
        _storeReachable = true;
    }

    /// <summary>The store could not be read: the other gauges keep their last values.</summary>
    public void StoreUnreachable()
    {
        _storeReachable = false;
        if (_snapshot.At is null)
        {
            _snapshot = StoreSnapshot.Empty with { At = _clock.GetUtcNow() };
        }
    }

    private static IEnumerable<Measurement<int>> ObserveSocketMode(SocketModeStatus? socketMode) =>
        (socketMode?.CountByState() ?? []).Select(c => new Measurement<int>(c.Count, new KeyValuePair<string, object?>("state", c.State.ToString().ToLowerInvariant())));

    private IEnumerable<Measurement<long>> ObserveDepth() =>
        _snapshot.Backlog.Select(b => new Measurement<long>(b.Pending, new KeyValuePair<string, object?>("platform", b.Platform)));

    private IEnumerable<Measurement<double>> ObserveOldestAge()
    {
        var now = _clock.GetUtcNow();
        return _snapshot.Backlog.Select(b => new Measurement<double>(Math.Max(0, (now - b.OldestCreatedAt).TotalSeconds), new KeyValuePair<string, object?>("platform", b.Platform)));
    }

    private IEnumerable<Measurement<long>> ObserveOpen() =>
        _snapshot.Open.Select(o => new Measurement<long>(o.Count,
            new KeyValuePair<string, object?>("severity", o.Severity.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("state", o.State.ToString().ToLowerInvariant())));

    private sealed record StoreSnapshot(DateTimeOffset? At, IReadOnlyList<OutboxBacklog> Backlog, IReadOnlyList<OpenIncidentCount> Open)
    {
        public static readonly StoreSnapshot Empty = new(null, [], []);
    }
}
