using System.Diagnostics;
using IncidentBot.Core.Ports;
using IncidentBot.IntegrationTests.Web;
using IncidentBot.Testing.Oidc;
using Microsoft.Playwright;

namespace IncidentBot.IntegrationTests.Sandbox;

/// <summary>
/// The sandbox in a real browser (chromium, JavaScript on) against the bot process behind the web sign-in: declare from the
/// message box, Acknowledge in place, a status update, a reminder snoozed, Resolve and the postmortem downloaded, with a
/// second person's browser updated live; the latency of 50 messages is an explicit load run.
/// </summary>
[Category("Browser")]
[NonParallelizable]
public sealed class SandboxBrowserTests : BrowserFixture
{
    private const string Conversation = "/sandbox/c/inc-1-checkout-errors";

    /// <summary>The bot runs on the wall clock in its own process: a Sev2 incident is reminded three seconds after its last update.</summary>
    private const string Sev2ReminderInterval = "00:00:03";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["IncidentBot__Sandbox__Enabled"] = "true",
        ["IncidentBot__Reminders__Sev2"] = Sev2ReminderInterval,
    };

    protected override Task SeedAsync(IIncidentStore store, DateTimeOffset now) => Task.CompletedTask;

    private Task<IBrowserContext> LiveContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });

    private static async Task SendAsync(IPage page, string text)
    {
        await page.Locator("#text").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await page.Locator("#text").WaitForAsync();
    }

    /// <summary>Ada declares in her browser and Grace opens the incident's conversation in hers; both pages stay open.</summary>
    private async Task<(IBrowserContext AdaContext, IPage Ada, ILocator Header, IBrowserContext GraceContext, IPage Grace, ILocator GraceHeader)> TwoBrowsersOnADeclaredIncidentAsync()
    {
        Provider.User = new FakeOidcUser("U0ADA", "Ada Lovelace", SlackTeamId: "T1");
        var adaContext = await LiveContextAsync();
        var ada = await SignInAsync(adaContext, "/sandbox");
        Assert.That(ada.Url, Is.EqualTo(BaseUrl + "/sandbox"));
        Assert.That(await ada.Locator("header.site").InnerTextAsync(), Does.Contain("Ada Lovelace"), "the name comes from the sign-in");

        await SendAsync(ada, "/incident declare Checkout errors sev2");
        var link = ada.Locator("#conversations").GetByRole(AriaRole.Link, new() { Name = "#inc-1-checkout-errors" });
        await link.WaitForAsync();
        await Assertions.Expect(ada.Locator("#messages")).ToContainTextAsync("Declared the drill INC-1");
        await link.ClickAsync();
        var header = ada.Locator("li.message", new() { HasText = "INC-1: Checkout errors" }).First;
        await Assertions.Expect(header.Locator("dl.fields")).ToContainTextAsync("Declared");

        Provider.User = new FakeOidcUser("U0GRACE", "Grace Hopper", SlackTeamId: "T1");
        var graceContext = await LiveContextAsync();
        var grace = await SignInAsync(graceContext, Conversation);
        await grace.EvaluateAsync("() => { window.sandboxTestMarker = 'no reload'; }");
        var graceHeader = grace.Locator("li.message", new() { HasText = "INC-1: Checkout errors" }).First;
        await Assertions.Expect(graceHeader.Locator("dl.fields")).ToContainTextAsync("Declared");
        return (adaContext, ada, header, graceContext, grace, graceHeader);
    }

    /// <summary>
    /// From the moment Ada presses Enter in the message box to the moment the message is in Grace's open page,
    /// <paramref name="count"/> times, in milliseconds, sorted. The arrival is stamped inside Grace's page by a
    /// MutationObserver (both stamps are this machine's clock), so Playwright's own polling does not add to it.
    /// </summary>
    private static async Task<List<double>> MessageLatenciesAsync(IPage ada, IPage grace, int count)
    {
        await grace.EvaluateAsync("""
            () => {
              window.probesSeen = {};
              new MutationObserver(() => {
                for (const li of document.querySelectorAll('#messages li.message')) {
                  const probe = /Latency probe (\d+)/.exec(li.textContent);
                  if (probe && !(probe[1] in window.probesSeen)) { window.probesSeen[probe[1]] = Date.now(); }
                }
              }).observe(document.body, { subtree: true, childList: true, characterData: true });
            }
            """);
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var text = $"Latency probe {i:00}";
            await ada.Locator("#text").FillAsync($"update {text}");
            var pressed = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            await ada.Locator("#text").PressAsync("Enter");
            var seen = await grace.WaitForFunctionAsync($"() => window.probesSeen['{i:00}']", null, new() { Timeout = 10_000 });
            latencies.Add((await seen.JsonValueAsync<long>()) - pressed);
            await ada.Locator("#messages li.message", new() { HasText = text }).First.WaitForAsync();
            await ada.Locator("#text").WaitForAsync();
        }

        latencies.Sort();
        return latencies;
    }

    [Test]
    public async Task Declare_Acknowledge_Update_Reminder_Resolve_Postmortem_AndASecondBrowserSeesItLive()
    {
        var (adaContext, ada, header, graceContext, grace, graceHeader) = await TwoBrowsersOnADeclaredIncidentAsync();
        await using var adaOwned = adaContext;
        await using var graceOwned = graceContext;

        await header.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Assertions.Expect(ada.Locator("li.message", new() { HasText = "INC-1: Checkout errors" }).First.Locator("dl.fields")).ToContainTextAsync("Acknowledged");
        await Assertions.Expect(graceHeader.Locator("dl.fields")).ToContainTextAsync("Acknowledged", new() { Timeout = 5000 });
        Assert.That(await grace.EvaluateAsync<string>("() => window.sandboxTestMarker"), Is.EqualTo("no reload"), "updated in place, without a reload");
        Assert.That(await grace.Locator("li.message", new() { HasText = "INC-1: Checkout errors" }).CountAsync(), Is.EqualTo(1));

        // A status update reaches the other open page, live.
        var live = await MessageLatenciesAsync(ada, grace, 3);
        await TestContext.Out.WriteLineAsync($"Sandbox messages to a second browser: {string.Join(", ", live.Select(l => $"{l:F0} ms"))}");

        await SnoozeAReminderAsync(ada, grace);

        await ada.Locator("li.message", new() { HasText = "INC-1: Checkout errors" }).First.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Assertions.Expect(graceHeader.Locator("dl.fields")).ToContainTextAsync("Resolved", new() { Timeout = 5000 });
        var export = ada.Locator("li.message", new() { HasText = "INC-1: Checkout errors" }).First.GetByRole(AriaRole.Button, new() { Name = "Export postmortem" });
        await export.ClickAsync();

        var file = ada.Locator("#messages p.file a").First;
        await file.WaitForAsync(new() { Timeout = 10_000 });
        var download = await ada.RunAndWaitForDownloadAsync(() => file.ClickAsync());
        var path = await download.PathAsync();
        var markdown = await File.ReadAllTextAsync(path!);
        Assert.That(download.SuggestedFilename, Does.EndWith(".md"));
        Assert.That(markdown, Does.Contain("INC-1").And.Contain("Checkout errors").And.Contain("Drill"), "the postmortem draft of the drill");
        Assert.That(markdown, Does.Contain("Latency probe 00"), "the status updates are on its timeline");
        Assert.That(markdown, Does.Contain("snoozed status-update reminders for 15 minutes"), "and the snooze");
    }

    /// <summary>
    /// With no update for the configured interval the reminder scheduler (a five-second tick in the bot) nudges the
    /// commander: the reminder reaches both open pages with its buttons, and Snooze 15 min turns it into the outcome.
    /// </summary>
    private static async Task SnoozeAReminderAsync(IPage ada, IPage grace)
    {
        var reminders = grace.Locator("#messages li.message", new() { HasText = "no status update on INC-1" });
        await reminders.First.WaitForAsync(new() { Timeout = 30_000 });
        Assert.That(await grace.EvaluateAsync<string>("() => window.sandboxTestMarker"), Is.EqualTo("no reload"), "the reminder arrived without a reload");
        var id = await reminders.Last.GetAttributeAsync("id");
        var onGrace = grace.Locator($"#{id}");
        Assert.That(await onGrace.Locator("button").AllInnerTextsAsync(), Is.EqualTo(new[] { "Post update", "Snooze 15 min", "Snooze 30 min", "Snooze 60 min" }));
        await Assertions.Expect(onGrace).ToContainTextAsync("@Ada Lovelace");

        await ada.Locator($"#{id}").GetByRole(AriaRole.Button, new() { Name = "Snooze 15 min" }).ClickAsync();

        // In place, on the page that did not click: the reminder now says who snoozed, and has no buttons left.
        await Assertions.Expect(onGrace).ToContainTextAsync("Ada Lovelace snoozed status-update reminders for 15 minutes", new() { Timeout = 5000 });
        await Assertions.Expect(onGrace.Locator("button")).ToHaveCountAsync(0);
        Assert.That(await grace.EvaluateAsync<string>("() => window.sandboxTestMarker"), Is.EqualTo("no reload"), "updated in place, without a reload");
    }

    /// <summary>The issue's latency target, measured: explicit, since a timing belongs in a load run, not the suite.</summary>
    [Test]
    [Explicit("Load run: the latency numbers go into the issue note.")]
    [Category("Load")]
    public async Task FiftyMessages_ReachASecondOpenBrowser_P99Within500Ms()
    {
        var (adaContext, ada, _, graceContext, grace, _) = await TwoBrowsersOnADeclaredIncidentAsync();
        await using var adaOwned = adaContext;
        await using var graceOwned = graceContext;

        var latencies = await MessageLatenciesAsync(ada, grace, 50);

        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        await TestContext.Out.WriteLineAsync($"Sandbox message to a second browser over {latencies.Count} messages: p50 {p50:F0} ms, p99 {p99:F0} ms, max {latencies[^1]:F0} ms");
        Assert.That(p99, Is.LessThanOrEqualTo(500), "p99 of a message reaching a second open browser");
    }

    [Test]
    public async Task Page_WorksWithJavaScriptOff_ByReloading()
    {
        Provider.User = new FakeOidcUser("U0ADA", "Ada Lovelace", SlackTeamId: "T1");
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context, "/sandbox");

        await SendAsync(page, "help");

        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("IncidentBot commands");
        Assert.That(await page.Locator("li.message.private").Last.InnerTextAsync(), Does.Contain("Only you can see this"));
    }
}
