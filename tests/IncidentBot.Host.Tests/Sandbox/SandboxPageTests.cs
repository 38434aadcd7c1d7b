using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Sandbox;
using IncidentBot.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Sandbox;

/// <summary>The /sandbox page in the real host, reached from loopback in Development: commands, buttons, answers, refusals.</summary>
public sealed partial class SandboxPageTests
{
    private TestHost _host = null!;
    private WebApplicationFactory<Program> _loopback = null!;

    private IIncidentStore Store => _loopback.Services.GetRequiredService<IIncidentStore>();

    [SetUp]
    public void SetUp()
    {
        _host = new TestHost(new()
        {
            ["IncidentBot:Web:AllowAnonymousLoopback"] = "true",
            ["IncidentBot:Sandbox:Enabled"] = "true",
        });
        _loopback = RemoteAddress.From(_host, IPAddress.Loopback);
    }

    [TearDown]
    public void TearDown()
    {
        _loopback.Dispose();
        _host.Dispose();
    }

    /// <summary>A browser with its own cookies that has chosen <paramref name="name"/>.</summary>
    private async Task<Browser> BrowserAsync(string name)
    {
        var browser = new Browser(_loopback.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var page = await browser.GetAsync("/sandbox");
        Assert.That(page, Does.Contain("Your display name"));
        using var named = await browser.PostAsync("/sandbox/name", page, ("name", name), ("return", "/sandbox"));
        Assert.That(named.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return browser;
    }

    [Test]
    public async Task Declare_FromTheMessageBox_OpensTheConversationWithItsHeader_AndAnswersTheAskerAlone()
    {
        using var ada = await BrowserAsync("Ada");
        using var bob = await BrowserAsync("Bob");

        var page = await ada.SendAsync("/sandbox", "/incident declare Checkout errors sev2");

        Assert.That(page, Does.Contain("href=\"/sandbox/c/inc-1-checkout-errors\">#inc-1-checkout-errors</a>"), "the new conversation in the left column");
        Assert.That(page, Does.Contain("INC-1 declared: Checkout errors"), "announced");
        Assert.That(page, Does.Contain("Only you can see this").And.Contain("Declared the drill INC-1"), "the asker's answer");
        Assert.That(await bob.GetAsync("/sandbox"), Does.Contain("INC-1 declared").And.Not.Contain("Only you can see this"), "nobody else's");

        var incident = await HeaderShownAsync(bob);
        Assert.That(incident, Does.Contain("<h2 class=\"title\">INC-1: Checkout errors</h2>"));
        Assert.That(incident, Does.Contain("<dt>State</dt><dd>Declared</dd>"));
        Assert.That(incident, Does.Contain("<input type=\"hidden\" name=\"action\" value=\"incident.acknowledge\">"));
        Assert.That(incident, Does.Contain("<button type=\"submit\" class=\"primary\">Acknowledge</button>"));
    }

    [Test]
    public async Task Acknowledge_Button_ChangesTheHeaderInPlace_AndASecondClickIsAnsweredPrivately()
    {
        using var ada = await BrowserAsync("Ada");
        await ada.SendAsync("/sandbox", "declare Checkout errors sev2");
        var before = await HeaderShownAsync(ada);
        var headerId = HeaderId().Match(before).Groups[1].Value;

        var after = await ada.ClickAsync("/sandbox/c/inc-1-checkout-errors", before, "incident.acknowledge");

        Assert.That(after, Does.Contain("<dt>State</dt><dd>Acknowledged</dd>").And.Not.Contain("<dd>Declared</dd>"));
        Assert.That(HeaderId().Match(after).Groups[1].Value, Is.EqualTo(headerId), "the same message, updated");
        Assert.That(Regex.Count(after, "<h2 class=\"title\">INC-1: Checkout errors</h2>"), Is.EqualTo(1));

        // The page still shows the old button to someone who has not reloaded: a stale click.
        var stale = await ada.ClickAsync("/sandbox/c/inc-1-checkout-errors", before, "incident.acknowledge");
        Assert.That(stale, Does.Contain("Only you can see this").And.Contain("already"));
    }

    [Test]
    public async Task Commands_WithAndWithoutPrefix_HelpAndUpdate()
    {
        using var ada = await BrowserAsync("Ada");
        await ada.SendAsync("/sandbox", "/incident declare Checkout errors sev2");

        var help = await ada.SendAsync("/sandbox/c/inc-1-checkout-errors", "help");
        Assert.That(help, Does.Contain("<strong>IncidentBot commands</strong>").And.Contain("<code>declare &lt;title&gt;"));

        var update = await ada.SendAsync("/sandbox/c/inc-1-checkout-errors", "/incident update Rolled back the deploy");
        Assert.That(update, Does.Contain("Rolled back the deploy"));
        Assert.That(await Poll.UntilAsync(async () => (await ada.GetAsync("/sandbox")).Contains("Rolled back the deploy", StringComparison.Ordinal)), Is.True,
            "broadcast to the announcements (delivered on their own, not awaited by the redirect)");
    }

    [Test]
    public async Task HostileText_IsShownAsText_AndHugeInputIsRefused()
    {
        using var ada = await BrowserAsync("Ada");
        var page = await ada.SendAsync("/sandbox", "declare <script>alert(1)</script><a href=\"javascript:alert(2)\">x</a> sev3");

        Assert.That(page, Does.Not.Contain("<script>alert").And.Not.Contain("href=\"javascript:"));
        Assert.That(page, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));

        using var huge = await ada.PostAsync("/sandbox/c/sandbox-announcements/send", page, ("text", "declare " + new string('x', SandboxEndpoints.MaxInputLength)), ("nonce", "n-huge"));
        Assert.That(huge.Headers.Location!.ToString(), Does.EndWith("?notice=too-long"));
        Assert.That(await ada.GetAsync(huge.Headers.Location.ToString()), Does.Contain("Messages are limited to 4,000 characters"));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Has.Count.EqualTo(1), "nothing declared");
    }

    [Test]
    public async Task Forms_WithoutTheAntiforgeryToken_AreRefused_AndARepeatedFormChangesNothing()
    {
        using var ada = await BrowserAsync("Ada");
        using var forged = await ada.PostAsync("/sandbox/c/sandbox-announcements/send", "", ("text", "declare Forged sev1"));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        var page = await ada.GetAsync("/sandbox");
        using var first = await ada.PostAsync("/sandbox/c/sandbox-announcements/send", page, ("text", "declare Once sev2"), ("nonce", "same"));
        using var again = await ada.PostAsync("/sandbox/c/sandbox-announcements/send", page, ("text", "declare Once sev2"), ("nonce", "same"));
        Assert.That(await Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Has.Count.EqualTo(1), "a resubmitted form is a repeat");
    }

    [Test]
    public async Task Wait_AnswersWhenTheConversationHasNews()
    {
        using var ada = await BrowserAsync("Ada");
        var page = await ada.GetAsync("/sandbox");
        var wait = ada.GetAsync("/sandbox/c/sandbox-announcements/wait?after=0&count=1");
        Assert.That(wait.IsCompleted, Is.False);

        await ada.SendAsync("/sandbox", "declare Checkout errors sev2", page);

        Assert.That(await wait, Does.Contain("\"changed\":true"));
        Assert.That(await ada.GetAsync("/sandbox/sandbox.js"), Does.Contain("/wait"));
    }

    [Test]
    public async Task Page_SendsItsOwnPolicy_WithTheOneScriptOfThisHost()
    {
        using var client = _loopback.CreateClient();
        using var response = await client.GetAsync(new Uri("/sandbox", UriKind.Relative));

        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<script src=\"/sandbox/sandbox.js\" defer></script>"));
    }

    [Test]
    public async Task Sandbox_AnswersOnlyWhereTheWebViewDoes()
    {
        using (var remote = RemoteAddress.From(_host, IPAddress.Parse("203.0.113.9")).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        using (var response = await remote.GetAsync(new Uri("/sandbox", UriKind.Relative)))
        {
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK), "not loopback and not signed in");
        }

        using var off = new TestHost(new() { ["IncidentBot:Web:AllowAnonymousLoopback"] = "true", ["IncidentBot:Sandbox:Enabled"] = "false" });
        using var offClient = RemoteAddress.From(off, IPAddress.Loopback).CreateClient();
        using var notFound = await offClient.GetAsync(new Uri("/sandbox", UriKind.Relative));
        Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task SandboxIncidents_AreDrills_MarkedInTheHeaderAndTheApi_AndLeftOutOfInsightsUnlessAsked()
    {
        using var ada = await BrowserAsync("Ada");
        var page = await ada.SendAsync("/sandbox", "declare Checkout errors sev2");
        Assert.That(page, Does.Contain("Drill: INC-1 declared").And.Contain("This is a drill"));
        Assert.That(await HeaderShownAsync(ada), Does.Contain("<p class=\"text\"><span class=\"mention\">@Ada</span> Drill: Sev2 Livesite incident</p>"));

        using var api = _loopback.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestHost.ApiKey);
        Assert.That(await api.GetStringAsync(new Uri("/api/incidents/1?platform=sandbox&workspace=sandbox", UriKind.Relative)), Does.Contain("\"drill\":true"));

        Assert.That(await ada.GetAsync("/insights"), Does.Contain("0 incident(s) declared"), "drills left out by default");
        Assert.That(await ada.GetAsync("/insights?drills=true"), Does.Contain("1 incident(s) declared").And.Contain("checked"));
        using var link = await ada.Client.GetAsync(new Uri("/sandbox/incidents/1", UriKind.Relative));
        Assert.That(link.Headers.Location!.ToString(), Is.EqualTo("/sandbox/c/inc-1-checkout-errors"), "an early announcement's link resolves");
    }

    [Test]
    public async Task Reminder_WithSnooze_ThenResolve_AndThePostmortemAsAFile()
    {
        using var ada = await BrowserAsync("Ada");
        await ada.SendAsync("/sandbox", "declare Checkout errors sev2");
        const string Path = "/sandbox/c/inc-1-checkout-errors";

        // The reminder scheduler runs on the host's clock: a Sev2 incident without an update is nudged after 30 minutes.
        var reminded = "";
        Assert.That(await Poll.UntilAsync(async () =>
        {
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
            return (reminded = await ada.GetAsync(Path)).Contains("Snooze 15 min", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20)), Is.True, "the reminder arrives with its buttons");
        var snoozed = await ada.ClickAsync(Path, reminded, ActionIds.Snooze30);
        Assert.That(snoozed, Does.Not.Contain("This button belongs to another version"));

        // The redirect waits for an answer to the asker only; the header's update goes through the outbox like any
        // post, so the page read right after may not have it yet (CI caught one such read).
        await ada.SendAsync(Path, "resolve");
        Assert.That(await Poll.UntilAsync(async () => (await ada.GetAsync(Path)).Contains("<dt>State</dt><dd>Resolved</dd>", StringComparison.Ordinal)), Is.True,
            "the header shows Resolved");
        var exported = "";
        await ada.SendAsync(Path, "postmortem");
        Assert.That(await Poll.UntilAsync(async () => (exported = await ada.GetAsync(Path)).Contains("/files/", StringComparison.Ordinal)), Is.True, "the postmortem is posted as a file");
        var file = Regex.Match(exported, "href=\"(/sandbox/c/inc-1-checkout-errors/files/m\\d+)\" download=\"([^\"]+)\"");
        Assert.That(file.Groups[2].Value, Does.EndWith(".md"));
        Assert.That(exported, Does.Contain("<div class=\"markdown\"><h1>Drill INC-1 postmortem: Checkout errors</h1>"), "rendered inline");
        var markdown = await ada.GetAsync(file.Groups[1].Value);
        Assert.That(markdown, Does.StartWith("# Drill INC-1 postmortem: Checkout errors"));
    }

    /// <summary>
    /// The incident's page once its header is there: the declarer's answer is awaited by the redirect, the header is
    /// delivered in the incident's own turn (after its conversation opens), so a page read at once may not have it yet.
    /// </summary>
    private static async Task<string> HeaderShownAsync(Browser browser)
    {
        var page = "";
        Assert.That(await Poll.UntilAsync(async () => (page = await browser.GetAsync("/sandbox/c/inc-1-checkout-errors")).Contains("<h2 class=\"title\">INC-1: Checkout errors</h2>", StringComparison.Ordinal)),
            Is.True, "the header is delivered");
        return page;
    }

    [GeneratedRegex("<li class=\"message\" id=\"(msg-m\\d+)\" data-seq=\"\\d+\"><p class=\"meta\">.{0,200}?</p><h2 class=\"title\">INC-1: Checkout errors</h2>")]
    private static partial Regex HeaderId();
}
