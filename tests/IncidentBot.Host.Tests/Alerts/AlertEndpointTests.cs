using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Alerts;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Tests.Alerts;

/// <summary>The intake's routes in the real host: token, size, body, route, answer; the bodies Alertmanager and Grafana send.</summary>
public sealed class AlertEndpointTests
{
    private const string Token = "alert-token-0123456789";

    private static readonly Dictionary<string, string?> Intake = new()
    {
        ["IncidentBot:Alerts:Tokens:0"] = Token,
        ["IncidentBot:Alerts:Routes:0:Match:service"] = "payments",
        ["IncidentBot:Alerts:Routes:0:Platform"] = "Teams",
        ["IncidentBot:Alerts:Routes:0:WorkspaceId"] = "tenant-1",
        ["IncidentBot:Alerts:Routes:1:Platform"] = "Slack",
        ["IncidentBot:Alerts:Routes:1:WorkspaceId"] = "T1",
    };

    private TestHost _host = null!;

    [TearDown]
    public void TearDown() => _host?.Dispose();

    private HttpClient Client(Dictionary<string, string?>? settings = null, string? token = Token)
    {
        _host = new TestHost(settings ?? Intake);
        var client = _host.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private IIncidentStore Store => _host.Services.GetRequiredService<IIncidentStore>();

    private static string Sample(string name) => File.ReadAllText(RepoPaths.Fixture("alerts", name));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Test]
    public async Task IntakeOff_WithoutTokens_404()
    {
        using var client = Client(settings: [], token: null);

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(Sample("alertmanager-webhook-firing.json")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase(null)]
    [TestCase("wrong-token-wrong-token")]
    public async Task WithoutTheToken_401_AndNothingChanged(string? token)
    {
        using var client = Client(token: token);

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(Sample("alertmanager-webhook-firing.json")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AlertmanagerGroup_Opens_RepeatIsUnchanged_OneResolvedAndTheLastResolveAreRecorded()
    {
        using var client = Client();
        var route = new Uri("/alerts/alertmanager", UriKind.Relative);

        var opened = await client.PostAsync(route, Json(Sample("alertmanager-webhook-firing.json")));
        Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.OK), await opened.Content.ReadAsStringAsync());
        var body = await ReadAsync(opened);
        Assert.That((body.GetProperty("result").GetString(), body.GetProperty("incident").GetString(), body.GetProperty("platform").GetString()), Is.EqualTo(("opened", "INC-1", "slack")));

        var incident = (await Store.GetByNumberAsync("slack", "T1", 1, CancellationToken.None))!;
        Assert.That((incident.Title, incident.Severity, incident.State, incident.Commander.IsAssigned), Is.EqualTo(("5xx rate above 5% on checkout", Severity.Sev2, IncidentState.Declared, false)));

        var repeat = await client.PostAsync(route, Json(Sample("alertmanager-webhook-firing.json")));
        Assert.That((await ReadAsync(repeat)).GetProperty("result").GetString(), Is.EqualTo("unchanged"));

        var oneResolved = await client.PostAsync(route, Json(Sample("alertmanager-webhook-firing-one-resolved.json")));
        Assert.That((await ReadAsync(oneResolved)).GetProperty("result").GetString(), Is.EqualTo("updated"));
        var last = await client.PostAsync(route, Json(Sample("alertmanager-webhook-resolved.json")));
        Assert.That((await ReadAsync(last)).GetProperty("result").GetString(), Is.EqualTo("updated"));

        var timeline = await Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Kind == TimelineKind.Alert && e.Text.StartsWith("Resolved", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That((await Store.GetAsync(incident.Id, CancellationToken.None))!.State, Is.EqualTo(IncidentState.Declared));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GrafanaWebhook_OnTheAlertmanagerRoute_Opens()
    {
        using var client = Client();

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(Sample("grafana-webhook-firing.json")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var incident = (await Store.GetByNumberAsync("slack", "T1", 1, CancellationToken.None))!;
        Assert.That(incident.DeclaredBy.Name, Is.EqualTo("Grafana"));
        Assert.That(incident.Title, Is.Not.Empty);
    }

    [Test]
    public async Task LabelsMatchingARoute_GoWhereItSays_OthersToTheDefault()
    {
        using var client = Client();
        var payments = Sample("alertmanager-webhook-firing.json").Replace("\"service\": \"checkout\"", "\"service\": \"payments\"", StringComparison.Ordinal).Replace("service=\\\"checkout\\\"", "service=\\\"payments\\\"", StringComparison.Ordinal);

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(payments));

        var body = await ReadAsync(response);
        Assert.That((body.GetProperty("platform").GetString(), body.GetProperty("workspace").GetString()), Is.EqualTo(("teams", "tenant-1")));
    }

    [Test]
    public async Task NoRouteMatches_AndNoDefault_422_NothingChanged()
    {
        using var client = Client(new Dictionary<string, string?>
        {
            ["IncidentBot:Alerts:Tokens:0"] = Token,
            ["IncidentBot:Alerts:Routes:0:Match:team"] = "payments",
            ["IncidentBot:Alerts:Routes:0:Platform"] = "Slack",
            ["IncidentBot:Alerts:Routes:0:WorkspaceId"] = "T1",
        });

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(Sample("alertmanager-webhook-firing.json")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await ReadAsync(response)).GetProperty("title").GetString(), Does.Contain("IncidentBot:Alerts:Routes"));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Is.Empty);
    }

    [TestCase("{\"version\":\"4\",", "not Alertmanager's webhook JSON")]
    [TestCase("[1,2]", "not Alertmanager's webhook JSON")]
    [TestCase("{\"version\":\"3\",\"groupKey\":\"g\",\"status\":\"firing\",\"alerts\":[]}", "Unknown version")]
    [TestCase("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]}", "groupKey is required")]
    [TestCase("{\"version\":\"4\",\"groupKey\":\"g\",\"status\":\"firing\",\"alerts\":[]}", "at least one alert")]
    [TestCase("{\"version\":\"4\",\"groupKey\":\"g\",\"status\":\"burning\",\"alerts\":[]}", "status must be")]
    [TestCase("{\"version\":\"4\",\"groupKey\":\"g\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1},\"startsAt\":\"2026-12-01T00:00:00Z\"}]}", "not Alertmanager's webhook JSON")]
    [TestCase("{\"version\":\"4\",\"groupKey\":\"g\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"b\"}}]}", "alerts[0].startsAt is required")]
    public async Task MalformedAlertmanagerBody_400WithTheReason_NothingChanged(string body, string reason)
    {
        using var client = Client();

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadAsync(response)).GetProperty("title").GetString(), Does.Contain(reason));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task BodyOverTheLimit_413_NothingChanged()
    {
        using var client = Client(new Dictionary<string, string?>(Intake) { ["IncidentBot:Alerts:MaxBodyBytes"] = "2048" });
        var big = Sample("alertmanager-webhook-firing.json").Replace("5xx rate above 5% on checkout", new string('x', 4000), StringComparison.Ordinal);

        var response = await client.PostAsync(new Uri("/alerts/alertmanager", UriKind.Relative), Json(big));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task GenericWebhook_OpensOnce_PerDedupKey_AndMapsItsSeverity()
    {
        using var client = Client(new Dictionary<string, string?>(Intake) { ["IncidentBot:Alerts:SeverityMap:page"] = "Sev1" });
        const string Body = """{"title":"Checkout p99 above 2 s","severity":"page","source":"Datadog","dedupKey":"checkout-latency","details":"p99 2.4 s for 10 min","link":"https://app.datadoghq.com/monitors/1"}""";

        var opened = await ReadAsync(await client.PostAsync(new Uri("/alerts/webhook", UriKind.Relative), Json(Body)));
        var repeat = await ReadAsync(await client.PostAsync(new Uri("/alerts/webhook", UriKind.Relative), Json(Body)));
        var resolved = await ReadAsync(await client.PostAsync(new Uri("/alerts/webhook", UriKind.Relative), Json(Body.Replace("\"details\"", "\"status\":\"resolved\",\"details\"", StringComparison.Ordinal))));

        Assert.That((opened.GetProperty("result").GetString(), repeat.GetProperty("result").GetString(), resolved.GetProperty("result").GetString()), Is.EqualTo(("opened", "unchanged", "updated")));
        var incident = (await Store.GetByNumberAsync("slack", "T1", 1, CancellationToken.None))!;
        Assert.That((incident.Title, incident.Severity, incident.DeclaredBy.Name), Is.EqualTo(("Checkout p99 above 2 s", Severity.Sev1, "Datadog")));
        var timeline = await Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Any(e => e.Text.Contains("description: p99 2.4 s for 10 min", StringComparison.Ordinal) && e.Text.Contains("https://app.datadoghq.com/monitors/1", StringComparison.Ordinal)), Is.True);
    }

    [TestCase("""{"severity":"critical","dedupKey":"k"}""", "title is required")]
    [TestCase("""{"title":"t"}""", "dedupKey is required")]
    [TestCase("""{"title":"t","dedupKey":"k","status":"open"}""", "status must be")]
    [TestCase("""{"title":"t","dedupKey":"k","link":"javascript:alert(1)"}""", "link must be an http or https URL")]
    [TestCase("""{"title":"t","dedupKey":"k","labels":["x"]}""", "not the webhook's JSON")]
    public async Task MalformedWebhookBody_400WithTheReason(string body, string reason)
    {
        using var client = Client();

        var response = await client.PostAsync(new Uri("/alerts/webhook", UriKind.Relative), Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadAsync(response)).GetProperty("title").GetString(), Does.Contain(reason));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Is.Empty);
    }

    [TestCase("IncidentBot:Alerts:Routes:0:Platform", "Discord", "IncidentBot:Alerts:Routes:0:Platform")]
    [TestCase("IncidentBot:Alerts:Routes:0:WorkspaceId", "", "IncidentBot:Alerts:Routes:0:WorkspaceId")]
    [TestCase("IncidentBot:Alerts:SeverityMap:critical", "urgent", "IncidentBot:Alerts:SeverityMap:critical")]
    [TestCase("IncidentBot:Alerts:Tokens:0", "short", "IncidentBot:Alerts:Tokens")]
    [TestCase("IncidentBot:Alerts:Routes:0", null, "IncidentBot:Alerts:Routes must have at least one entry")]
    public void BadConfiguration_RefusedNamingTheKey(string key, string? value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["IncidentBot:Alerts:Tokens:0"] = Token,
            ["IncidentBot:Alerts:Routes:0:Platform"] = "Slack",
            ["IncidentBot:Alerts:Routes:0:WorkspaceId"] = "T1",
        };
        if (value is null)
        {
            settings.Remove("IncidentBot:Alerts:Routes:0:Platform");
            settings.Remove("IncidentBot:Alerts:Routes:0:WorkspaceId");
        }
        else
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAlerts();
        using var services = builder.Services.BuildServiceProvider();

        Assert.That(() => services.GetRequiredService<IOptions<AlertsOptions>>().Value, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains(named));
    }
}
