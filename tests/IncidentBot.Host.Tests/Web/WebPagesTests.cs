using System.Net;
using System.Text.Json;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Web;

/// <summary>The web view's pages, in process, reached from loopback with <c>Web:AllowAnonymousLoopback</c> (Development).</summary>
public sealed class WebPagesTests
{
    private const string Hostile = "<script>alert('x')</script><a href=\"javascript:alert(1)\">click</a>";

    private TestHost _host = null!;
    private WebApplicationFactory<Program> _loopback = null!;

    private IIncidentStore Store => _loopback.Services.GetRequiredService<IIncidentStore>();

    [SetUp]
    public void SetUp()
    {
        _host = new TestHost(new()
        {
            ["IncidentBot:Web:AllowAnonymousLoopback"] = "true",
            ["IncidentBot:Postmortem:TimeZone"] = "Europe/Paris",
        });
        _loopback = RemoteAddress.From(_host, IPAddress.Loopback);
    }

    [TearDown]
    public void TearDown()
    {
        _loopback.Dispose();
        _host.Dispose();
    }

    private HttpClient Client() => _loopback.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Incident_ListsItsFollowUps_WithOwnerDueStateAndTrackerLink_AndHostileTextAsText()
    {
        var incident = await WebSeed.DeclareAsync(Store, _host.Clock.GetUtcNow().AddHours(-1), "Payments down");
        var followUps = System.Collections.Immutable.ImmutableList.Create(
            new Core.FollowUps.FollowUp { Number = 3, Text = "Add a canary " + Hostile, Owner = WebSeed.Grace, Due = new DateOnly(2026, 12, 9), CreatedBy = WebSeed.Ada, CreatedAt = _host.Clock.GetUtcNow(), TrackerUrl = "https://github.com/acme/ops/issues/42" },
            new Core.FollowUps.FollowUp { Number = 4, Text = "Rewrite everything", State = Core.FollowUps.FollowUpState.Dropped, DropReason = "not worth it", CreatedBy = WebSeed.Ada, CreatedAt = _host.Clock.GetUtcNow(), TrackerUrl = "javascript:alert(1)" });
        var next = incident with { Version = incident.Version + 1, FollowUps = followUps };
        Assert.That(await Store.SaveAsync(new IncidentChange { Incident = next, KeepsReminder = true }, CancellationToken.None), Is.EqualTo(SaveResult.Saved));

        var (status, body) = await GetAsync("/incidents/1");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("<h2 id=\"followups\">Follow-ups</h2>"));
        Assert.That(body, Does.Contain("Grace").And.Contain("2026-12-09").And.Contain(">Open<").And.Contain("(dropped: not worth it)").And.Contain(">unassigned<"));
        Assert.That(body, Does.Contain("<a href=\"https://github.com/acme/ops/issues/42\""), "the tracker link");
        Assert.That(body, Does.Not.Contain("href=\"javascript:"), "a link that is not http(s) is not a link");
        Assert.That(body, Does.Not.Contain("<script>alert"), "text people typed is text");
    }

    [Test]
    public async Task Incidents_OpenFirstWithColumnsAndChatLink()
    {
        var now = _host.Clock.GetUtcNow();
        var resolved = await WebSeed.DeclareAsync(Store, now.AddHours(-1), "Payments down", Severity.Sev1);
        await WebSeed.ProgressAsync(Store, resolved, 2, 10, 30);
        await WebSeed.DeclareAsync(Store, now.AddHours(-3), "Search slow", Severity.Sev3);

        var (status, body) = await GetAsync("/");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.IndexOf("Search slow", StringComparison.Ordinal), Is.LessThan(body.IndexOf("Payments down", StringComparison.Ordinal)), "open first");
        Assert.That(body, Does.Contain("<span class=\"badge sev sev1\">Sev1</span>").And.Contain(">Resolved</span>"), "severity and state as text");
        Assert.That(body, Does.Contain("2m 00s").And.Contain("10m 00s").And.Contain("30m 00s"), "TTA, TTM, TTR");
        Assert.That(body, Does.Contain("href=\"https://slack.com/app_redirect?channel=C0INC\""));
        Assert.That(body, Does.Contain("href=\"/incidents/1?platform=slack&amp;workspace=T1\""));
        Assert.That(body, Does.Contain("<label for=\"q\">").And.Contain("<label for=\"state\">").And.Contain("<main id=\"main\">"));
    }

    [Test]
    public async Task Incidents_FiltersAndPages()
    {
        var now = _host.Clock.GetUtcNow();
        for (var i = 0; i < 30; i++)
        {
            await WebSeed.DeclareAsync(Store, now.AddMinutes(-i), $"Noise {i:00}", Severity.Sev4);
        }

        var sev1 = await WebSeed.DeclareAsync(Store, now.AddDays(-2), "Checkout errors", Severity.Sev1);
        await WebSeed.ProgressAsync(Store, sev1, 1, 2, null);

        var (_, bySeverity) = await GetAsync("/?severity=Sev1");
        var (_, byText) = await GetAsync("/?q=CHECKOUT&state=Mitigated");
        var (_, wrongState) = await GetAsync("/?q=checkout&state=Declared");
        var (_, first) = await GetAsync("/?severity=Sev4");
        var (_, second) = await GetAsync("/?severity=Sev4&p=2");

        Assert.That(bySeverity, Does.Contain("Checkout errors").And.Not.Contain("Noise"));
        Assert.That(byText, Does.Contain("Checkout errors").And.Contain("1 incident(s)"));
        Assert.That(wrongState, Does.Contain("No incident matches."));
        Assert.That(first, Does.Contain("30 incident(s), page 1 of 2").And.Contain("Noise 00").And.Not.Contain("Noise 29"));
        Assert.That(first, Does.Contain("href=\"/?severity=Sev4&amp;p=2\""));
        Assert.That(second, Does.Contain("Noise 29").And.Not.Contain("Noise 00"));
    }

    [Test]
    public async Task Pages_HostileTitleAndTimelineText_ShownAsText()
    {
        var incident = await WebSeed.DeclareAsync(Store, _host.Clock.GetUtcNow(), Hostile + new string('W', 20_000));
        await WebSeed.NoteAsync(Store, incident, _host.Clock.GetUtcNow(), "note " + Hostile);

        foreach (var path in new[] { "/", "/incidents/1", "/incidents/1/postmortem" })
        {
            var (status, body) = await GetAsync(path);

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(body, Does.Not.Contain("<script>alert").And.Not.Contain("<a href=\"javascript:"), path);
            Assert.That(body, Does.Contain("alert(").And.Contain("&lt;script&gt;").Or.Contain("&lt;script>"), path + " shows the text");
        }
    }

    [Test]
    public async Task Incident_TimelineInTheDefaultZoneOrThePickedOne_RedactedLeftOut()
    {
        var declared = new DateTimeOffset(2026, 10, 30, 12, 0, 0, TimeSpan.Zero);
        var incident = await WebSeed.DeclareAsync(Store, declared, "Checkout errors");
        incident = await WebSeed.NoteAsync(Store, incident, declared.AddMinutes(5), "visible note");
        await WebSeed.NoteAsync(Store, incident, declared.AddMinutes(6), "secret customer name", redact: true);

        var (_, paris) = await GetAsync("/incidents/1");
        var (_, tokyo) = await GetAsync("/incidents/1?platform=slack&workspace=T1&tz=Asia/Tokyo");
        var (_, unknown) = await GetAsync("/incidents/1?tz=Mars/Olympus");

        Assert.That(paris, Does.Contain("Times in Europe/Paris").And.Contain("2026-10-30 13:05"), "UTC+1 after the October change");
        Assert.That(tokyo, Does.Contain("Times in Asia/Tokyo").And.Contain("2026-10-30 21:05"));
        Assert.That(tokyo, Does.Contain("<option value=\"Asia/Tokyo\" selected=\"selected\">"));
        Assert.That(paris, Does.Contain("visible note").And.Contain("Left out of the postmortem").And.Not.Contain("secret customer name"));
        Assert.That(paris, Does.Contain("<h2 id=\"participants\">").And.Contain("<li>Grace</li>"));
        Assert.That(unknown, Does.Contain("Unknown time zone").And.Contain("Times in Europe/Paris"));
    }

    [Test]
    public async Task Pages_UnknownNumber_404Page()
    {
        foreach (var path in new[] { "/incidents/42", "/incidents/42/postmortem", "/incidents/42/postmortem.md", "/incidents/42/postmortem.json" })
        {
            var (status, body) = await GetAsync(path);

            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(body, Does.Contain("No incident INC-42"), path);
        }
    }

    [Test]
    public async Task Pages_NumberInTwoWorkspaces_AskWhichUnlessNamed()
    {
        await WebSeed.DeclareAsync(Store, _host.Clock.GetUtcNow(), "In T1");
        await WebSeed.DeclareAsync(Store, _host.Clock.GetUtcNow(), "In T2", workspace: "T2");

        var (status, body) = await GetAsync("/incidents/1");
        var (namedStatus, named) = await GetAsync("/incidents/1?platform=slack&workspace=T2");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(body, Does.Contain("exists in several workspaces").And.Contain("workspace=T2"));
        Assert.That(namedStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(named, Does.Contain("In T2").And.Not.Contain("In T1"));
    }

    [Test]
    public async Task Postmortem_RenderedAndDownloadable()
    {
        var incident = await WebSeed.DeclareAsync(Store, _host.Clock.GetUtcNow(), "Checkout *errors*");
        await WebSeed.ProgressAsync(Store, incident, 3, 9, 20);

        var (_, page) = await GetAsync("/incidents/1/postmortem");
        using var client = Client();
        using var markdown = await client.GetAsync(new Uri("/incidents/1/postmortem.md?tz=UTC", UriKind.Relative));
        using var json = await client.GetAsync(new Uri("/incidents/1/postmortem.json", UriKind.Relative));
        using var draft = JsonDocument.Parse(await json.Content.ReadAsStringAsync());

        Assert.That(page, Does.Contain("<h1").And.Contain("INC-1 postmortem").And.Contain("<table>"), "Markdown rendered to HTML");
        Assert.That(page, Does.Contain("href=\"/incidents/1/postmortem.md?platform=slack&amp;workspace=T1&amp;tz=Europe%2FParis\""));
        Assert.That(markdown.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/markdown"));
        Assert.That(markdown.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("INC-1-postmortem.md"));
        Assert.That(await markdown.Content.ReadAsStringAsync(), Does.StartWith("# INC-1 postmortem"));
        Assert.That(json.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("INC-1-postmortem.json"));
        Assert.That(draft.RootElement.GetProperty("key").GetString(), Is.EqualTo("INC-1"));
        Assert.That(draft.RootElement.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Paris"));
    }

    [Test]
    public async Task Insights_ChartsAndTableOfTheRange()
    {
        var now = _host.Clock.GetUtcNow();
        var minutes = new[] { 10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
        foreach (var ttm in minutes)
        {
            var incident = await WebSeed.DeclareAsync(Store, now.AddDays(-3), $"Sev2 {ttm}", Severity.Sev2, type: IncidentType.Deployment);
            await WebSeed.ProgressAsync(Store, incident, 1, ttm, ttm + 5);
        }

        var fast = await WebSeed.DeclareAsync(Store, now.AddDays(-3), "Fast one", Severity.Sev3);
        await WebSeed.ProgressAsync(Store, fast, 1, 5, null);
        await WebSeed.DeclareAsync(Store, now.AddDays(-200), "Long ago", Severity.Sev1);

        var (status, body) = await GetAsync("/insights?days=30");
        var (_, year) = await GetAsync("/insights?days=365");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("11 incident(s) declared in the last 30 days"));
        Assert.That(body, Does.Contain("<svg class=\"chart\" id=\"chart-ttm\"").And.Contain("<title id=\"chart-ttm-title\">"));
        Assert.That(body, Does.Contain("2026-10 Sev2: median 50.0 min, p90 90.0 min").Or.Contain("2026-11 Sev2: median 50.0 min, p90 90.0 min"));
        Assert.That(body, Does.Contain("<td data-label=\"TTM median\">50.0</td>").And.Contain("<td data-label=\"TTM p90\">90.0</td>"));
        Assert.That(body, Does.Contain("<th scope=\"row\">Deployment</th><td>10</td>"));
        Assert.That(body, Does.Contain("<option value=\"30\" selected=\"selected\">"));
        Assert.That(body.IndexOf("Sev2 100", StringComparison.Ordinal), Is.LessThan(body.IndexOf("Sev2 90", StringComparison.Ordinal)), "slowest first");
        Assert.That(body, Does.Contain("Sev2 10<").And.Not.Contain("Fast one"), "the ten slowest of eleven mitigated");
        Assert.That(year, Does.Contain("12 incident(s) declared in the last 365 days"));
    }

    [Test]
    public async Task Responses_CarrySecurityHeaders_AndTheOneStylesheet()
    {
        using var client = Client();
        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var css = await client.GetAsync(new Uri("/web.css", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(csp, Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-inline"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("style=\"").And.Not.Contain("//cdn"));
        Assert.That(css.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(css.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));
        Assert.That(await css.Content.ReadAsStringAsync(), Does.Contain("@media (max-width: 600px)"));
    }

    [Test]
    public async Task Pages_FromAnotherMachineWithoutSignIn_Refused403()
    {
        using var remote = RemoteAddress.From(_host, IPAddress.Parse("203.0.113.7"));
        using var client = remote.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Sign-in is not configured"));
    }

    [Test]
    public async Task WebView_WithoutOidcOrLoopbackSwitch_Off404()
    {
        using var host = new TestHost(new() { ["IncidentBot:Web:AllowAnonymousLoopback"] = "false" });
        using var client = RemoteAddress.From(host, IPAddress.Loopback).CreateClient();

        foreach (var path in new[] { "/", "/incidents/1", "/insights", "/signout", "/web.css" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
        }
    }
}
