using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// The real Alertmanager (Debian's prometheus-alertmanager 0.25) notifies the real bot on loopback: alerts injected
/// through Alertmanager's v2 API open one incident with its channel and header on the fake Slack, a repeat adds
/// nothing, a new alert joins the same incident, and the resolve is recorded. `.ci/run` installs it when missing.
/// </summary>
[Category("Alertmanager")]
public sealed class AlertmanagerTests : SlackBotFixture
{
    private const string AlertmanagerBinary = "/usr/bin/prometheus-alertmanager";
    private const string AlertToken = "integration-alert-token-0123456789";

    /// <summary>Alertmanager is another process on the machine's clock: alert end times are on that clock too.</summary>
    private static readonly TimeProvider Wall = TimeProvider.System;

    protected override IReadOnlyList<string> Secrets => [Token, Secret, ApiKey, AlertToken];

    protected override Dictionary<string, string> ExtraSettings() => new()
    {
        ["IncidentBot__Alerts__Tokens__0"] = AlertToken,
        ["IncidentBot__Alerts__Routes__0__Platform"] = "Slack",
        ["IncidentBot__Alerts__Routes__0__WorkspaceId"] = "T0001",
    };

    [Test]
    public async Task RealAlertmanager_OpensOneIncident_RepeatAddsNothing_NewAlertJoins_ResolveRecorded()
    {
        RequireAlertmanager();
        await using var alertmanager = await AlertmanagerProcess.StartAsync(Bot.Port, AlertToken);
        var far = Wall.GetUtcNow().AddHours(1);

        await alertmanager.PostAlertsAsync(far, "checkout-1", "checkout-2");

        Assert.That(await Poll.UntilAsync(async () => (await IncidentsAsync()).Count == 1, TimeSpan.FromSeconds(30)), Is.True, "Alertmanager's notification opened an incident");
        var incident = (await IncidentsAsync()).Single();
        Assert.That(incident.GetProperty("state").GetString(), Is.EqualTo("Declared"));
        Assert.That(incident.GetProperty("severity").GetString(), Is.EqualTo("Sev2"), "severity=critical");
        Assert.That(incident.GetProperty("title").GetString(), Is.EqualTo("5xx rate above 5% on checkout"));
        Assert.That(incident.GetProperty("commander").GetProperty("name").GetString(), Is.EqualTo("unassigned"));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("conversations.create").Count == 1 && Slack.CallsTo("pins.add").Count == 1, TimeSpan.FromSeconds(30)), Is.True,
            "its channel and pinned header on the fake Slack");

        // The alerts started at a fixed instant long past, and Alertmanager flushes a new group at once when its first
        // alert started more than group_wait ago: the second may then come a group_interval later, into the same incident.
        Assert.That(await Poll.UntilAsync(async () => await FiringEntriesAsync() == 2, TimeSpan.FromSeconds(30)), Is.True, "both alerts on the incident's timeline");
        Assert.That(await IncidentsAsync(), Has.Count.EqualTo(1));

        // repeat_interval is 2 s: Alertmanager sends the same group again, which adds nothing.
        Assert.That(await Poll.UntilAsync(() => Task.FromResult(Bot.Output.Contains("Unchanged (INC-1)", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), Is.True,
            "Alertmanager repeated the notification");
        Assert.That(await FiringEntriesAsync(), Is.EqualTo(2));
        Assert.That(await IncidentsAsync(), Has.Count.EqualTo(1));

        await alertmanager.PostAlertsAsync(far, "checkout-3");
        Assert.That(await Poll.UntilAsync(async () => await FiringEntriesAsync() == 3, TimeSpan.FromSeconds(30)), Is.True, "the new alert joined the same incident");
        Assert.That(await IncidentsAsync(), Has.Count.EqualTo(1));

        await alertmanager.PostAlertsAsync(Wall.GetUtcNow().AddSeconds(-1), "checkout-1", "checkout-2", "checkout-3");
        Assert.That(await Poll.UntilAsync(async () => await EntriesAsync("Resolved: ") == 3, TimeSpan.FromSeconds(30)), Is.True, "the resolve is recorded");
        var channel = Slack.Channels[Slack.CallsTo("conversations.create").Single().Arg("name")];
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postMessage").Any(c => c.Arg("channel") == channel && c.Body.Contains("The incident stays open", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), Is.True,
            "the resolve is posted in the incident channel");
        Assert.That((await IncidentsAsync()).Single().GetProperty("state").GetString(), Is.EqualTo("Declared"), "people resolve the incident");
    }

    private async Task<List<JsonElement>> IncidentsAsync() => (await ApiAsync("/api/incidents")).EnumerateArray().ToList();

    private Task<int> FiringEntriesAsync() => EntriesAsync("Firing: ");

    private async Task<int> EntriesAsync(string prefix) =>
        (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "Alert" && e.GetProperty("text").GetString()!.StartsWith(prefix, StringComparison.Ordinal));

    private static void RequireAlertmanager()
    {
        if (File.Exists(AlertmanagerBinary))
        {
            return;
        }

        const string why = "Alertmanager is not installed: apt-get install -y prometheus-alertmanager (.ci/run does it)";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(why);
        }

        Assert.Ignore(why);
    }

    /// <summary>An Alertmanager on a free loopback port, no clustering, its own temporary storage, notifying the bot.</summary>
    private sealed class AlertmanagerProcess : LoopbackProcess
    {
        private AlertmanagerProcess(Process process, string folder, int port)
            : base(process, folder, port)
        {
        }

        public static async Task<AlertmanagerProcess> StartAsync(int botPort, string token)
        {
            var folder = NewFolder("incidentbot-alertmanager");
            var config = Path.Combine(folder, "alertmanager.yml");

            // tests/fixtures/alerts/alertmanager-test.yml, pointed at this bot, with a shorter group_interval.
            var yaml = (await File.ReadAllTextAsync(RepoPaths.Fixture("alerts", "alertmanager-test.yml")))
                .Replace("http://127.0.0.1:18081/alertmanager/webhook", $"http://127.0.0.1:{botPort}/alerts/alertmanager", StringComparison.Ordinal)
                .Replace("credentials: test-secret-token", $"credentials: {token}", StringComparison.Ordinal)
                .Replace("group_interval: 2s", "group_interval: 1s", StringComparison.Ordinal)
                .Replace("repeat_interval: 10s", "repeat_interval: 2s", StringComparison.Ordinal);
            Assert.That(yaml, Does.Contain($"/alerts/alertmanager").And.Contain(token), "the fixture's config was rewritten");
            await File.WriteAllTextAsync(config, yaml);

            var port = BotProcess.FreePort();
            var process = Start(AlertmanagerBinary,
                [$"--config.file={config}", $"--storage.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
                 $"--web.external-url=http://127.0.0.1:{port}/", "--log.level=warn"]);
            var alertmanager = new AlertmanagerProcess(process, folder, port);
            await alertmanager.WaitReadyAsync("Alertmanager");
            return alertmanager;
        }

        /// <summary>Posts HighErrorRate alerts for <paramref name="instances"/> of checkout, ending at <paramref name="endsAt"/> (past: resolved).</summary>
        public async Task PostAlertsAsync(DateTimeOffset endsAt, params string[] instances)
        {
            var alerts = instances.Select(instance => new
            {
                labels = new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "checkout", ["severity"] = "critical", ["instance"] = instance },
                annotations = new Dictionary<string, string> { ["summary"] = "5xx rate above 5% on checkout" },
                startsAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture),
                endsAt = endsAt.ToString("O", CultureInfo.InvariantCulture),
                generatorURL = "http://prometheus.example.com:9090/graph",
            });
            using var content = new StringContent(JsonSerializer.Serialize(alerts), Encoding.UTF8, "application/json");
            using var response = await Client.PostAsync("api/v2/alerts", content);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }
}
