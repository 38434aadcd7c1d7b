using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Host.Metrics;
using IncidentBot.Testing;

namespace IncidentBot.Host.Tests.Deploy;

/// <summary>The dashboard and the alert rules in deploy/ ask only for series the bot exports (promtool checks the rules' syntax).</summary>
public sealed partial class MonitoringFilesTests
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    [Test]
    public void Dashboard_EveryQuery_UsesExportedSeries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "grafana", "incidentbot.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();

        Assert.That(expressions, Has.Count.GreaterThanOrEqualTo(BotMetrics.PrometheusNames.Count));
        Assert.That(expressions.SelectMany(Names).Distinct(), Is.SubsetOf(Exported()));
        Assert.That(BotMetrics.PrometheusNames, Is.SubsetOf(expressions.SelectMany(Names).Select(Base).Distinct()), "every metric has a panel");
    }

    [Test]
    public void AlertRules_EveryExpression_UsesExportedSeries()
    {
        var rules = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "prometheus", "alerts.yaml"));
        var expressions = ExprLine().Matches(rules).Select(m => m.Groups[1].Value).ToList();

        Assert.That(expressions, Has.Count.EqualTo(5));
        Assert.That(expressions.SelectMany(Names).Where(n => n != "up").Distinct(), Is.SubsetOf(Exported()));
    }

    private static IEnumerable<string> Names(string promql) => MetricName().Matches(promql).Select(m => m.Value);

    private static string Base(string name) => HistogramSuffixes.FirstOrDefault(name.EndsWith) is { } suffix ? name[..^suffix.Length] : name;

    private static IEnumerable<string> Exported() =>
        BotMetrics.PrometheusNames.Concat(BotMetrics.PrometheusNames.SelectMany(n => HistogramSuffixes.Select(s => n + s)));

    [GeneratedRegex(@"\bincidentbot_[a-z_]+|\bup\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^\s*expr:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExprLine();
}
