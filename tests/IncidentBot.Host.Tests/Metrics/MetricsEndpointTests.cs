using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Host.Metrics;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Metrics;

public sealed partial class MetricsEndpointTests
{
    [Test]
    public async Task Scrape_AfterADeclareAndARequest_OurInstrumentsInPrometheusText()
    {
        await using var host = new TestHost();
        using var client = host.CreateClient();
        var service = host.Services.GetRequiredService<IncidentService>();

        // A platform no adapter serves here: its messages stay in the outbox, retried, so the backlog is there to see.
        await service.DeclareAsync(new DeclareRequest("Payments down for user U777SECRET", Severity.Sev2, IncidentType.Livesite), new CommandContext("nowhere", "T1", "C1", new Person("U777SECRET", "Ada")), CancellationToken.None);
        using var command = await client.PostAsync("/slack/commands", new StringContent("text=status"));
        using var alert = await client.PostAsync("/alerts/alertmanager", new StringContent("{}"));
        await Poll.UntilAsync(async () => Find(await ScrapeAsync(client), "incidentbot_deliveries_total", "platform=\"nowhere\"", "result=\"retried\"").Count == 1, TimeSpan.FromSeconds(10));
        host.Clock.Advance(StoreGaugesService.Interval);

        // The gauges are read from the store every few seconds and the exporter caches a scrape briefly: wait for both.
        var scrape = "";
        await Poll.UntilAsync(async () => Find(scrape = await ScrapeAsync(client), "incidentbot_incidents_open", "severity=\"sev2\"", "state=\"declared\"").Count == 1, TimeSpan.FromSeconds(10));

        Assert.That(command.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "Slack is not configured here: its routes are off");
        Assert.That(Sample(scrape, "incidentbot_incidents_open", "severity=\"sev2\"", "state=\"declared\""), Is.EqualTo(1));
        Assert.That(Sample(scrape, "incidentbot_inbound_requests_total", "platform=\"slack\"", "kind=\"command\"", "status=\"4xx\""), Is.EqualTo(1));
        Assert.That(Sample(scrape, "incidentbot_inbound_ack_duration_seconds_count", "platform=\"slack\"", "kind=\"command\""), Is.EqualTo(1));
        Assert.That(Sample(scrape, "incidentbot_outbox_depth", "platform=\"nowhere\""), Is.EqualTo(2), "the declaration's conversation and header wait");
        Assert.That(Sample(scrape, "incidentbot_outbox_oldest_age_seconds", "platform=\"nowhere\""), Is.EqualTo(StoreGaugesService.Interval.TotalSeconds).Within(0.001));
        Assert.That(Sample(scrape, "incidentbot_deliveries_total", "platform=\"nowhere\"", "result=\"retried\""), Is.GreaterThanOrEqualTo(1));
        Assert.That(scrape, Does.Contain("# TYPE incidentbot_inbound_ack_duration_seconds histogram"));
        Assert.That(Sample(scrape, "incidentbot_inbound_requests_total", "platform=\"alerts\"", "kind=\"alertmanager\"", "status=\"4xx\""), Is.EqualTo(1), "alert intake is off here: 404");
        Assert.That(Sample(scrape, "incidentbot_store_commit_duration_seconds_count", "provider=\"sqlite\""), Is.GreaterThanOrEqualTo(1), "the declaration's commit");
        Assert.That(scrape, Does.Contain("# TYPE incidentbot_store_commit_duration_seconds histogram"));
        Assert.That(scrape, Does.Not.Contain("U777SECRET").And.Not.Contain("Payments down"), "no titles, no user ids");
    }

    [Test]
    public async Task Scrape_MetricsDisabled_NotFound()
    {
        await using var host = new TestHost(new() { ["IncidentBot:Metrics:Enabled"] = "false" });
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/metrics");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("text/plain");
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one series of <paramref name="name"/> that carries every label given; fails when there is not exactly one.</summary>
    private static double Sample(string scrape, string name, params string[] labels)
    {
        var values = Find(scrape, name, labels);
        Assert.That(values, Has.Count.EqualTo(1), $"{name} {string.Join(",", labels)} in:\n{scrape}");
        return values[0];
    }

    private static List<double> Find(string scrape, string name, params string[] labels) =>
        scrape.Split('\n')
            .Select(line => SampleLine().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Select(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();
}
