using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IncidentBot.Storage;

/// <summary>
/// The stores' instrument (meter <see cref="MeterName"/>): how long a write transaction takes from its start until it
/// is durable, by provider. Exported to Prometheus it reads <c>incidentbot_store_commit_duration_seconds</c>.
/// </summary>
public static class StoreMetrics
{
    public const string MeterName = "IncidentBot.Storage";

    public const string PrometheusName = "incidentbot_store_commit_duration_seconds";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Commits = Meter.CreateHistogram(
        "incidentbot.store.commit.duration",
        "s",
        "Write transactions from their start until durable, by provider (litedb, sqlite, postgres).",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    /// <summary>A timestamp to pass to <see cref="Committed"/> (monotonic, never the wall clock).</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Records a write transaction that committed, started at <paramref name="started"/>.</summary>
    public static void Committed(string provider, long started) =>
        Commits.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("provider", provider));
}
