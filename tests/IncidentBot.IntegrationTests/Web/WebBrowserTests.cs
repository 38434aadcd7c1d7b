using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Tests.Web;
using IncidentBot.Testing.Oidc;
using Microsoft.Playwright;

namespace IncidentBot.IntegrationTests.Web;

/// <summary>The web view in a real browser (chromium, JavaScript off), signed in through the fake provider.</summary>
[Category("Browser")]
[NonParallelizable]
public sealed class WebBrowserTests : BrowserFixture
{
    protected override async Task SeedAsync(IIncidentStore store, DateTimeOffset now)
    {
        var checkout = await WebSeed.DeclareAsync(store, now.AddDays(-2), "Checkout errors", Severity.Sev1, type: IncidentType.Deployment);
        checkout = await WebSeed.ProgressAsync(store, checkout, 4, 25, 60);
        checkout = await WebSeed.NoteAsync(store, checkout, checkout.DeclaredAt.AddMinutes(10), "Rolled back build 1234");
        await WebSeed.NoteAsync(store, checkout, checkout.DeclaredAt.AddMinutes(11), "customer secret detail", redact: true);
        await WebSeed.DeclareAsync(store, now.AddHours(-1), "<script>alert('owned')</script> Search slow", Severity.Sev3);
        var login = await WebSeed.DeclareAsync(store, now.AddDays(-5), "Login latency", Severity.Sev2);
        await WebSeed.ProgressAsync(store, login, 2, 12, null);
    }

    [SetUp]
    public void SignInAsAda() => Provider.User = new FakeOidcUser("U0ADA", "Ada Lovelace", SlackTeamId: "T1");

    [Test]
    public async Task SignIn_ThenList_OpenFirstAndHostileTitleAsText()
    {
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context);

        Assert.That(page.Url, Is.EqualTo(BaseUrl + "/"));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo("Incidents"));
        Assert.That(await page.Locator("header.site").InnerTextAsync(), Does.Contain("Ada Lovelace"));
        var rows = page.Locator("table.incidents tbody tr");
        Assert.That(await rows.CountAsync(), Is.EqualTo(3));
        Assert.That(await rows.Nth(0).Locator("td.title").InnerTextAsync(), Is.EqualTo("<script>alert('owned')</script> Search slow"));
        Assert.That(await rows.Nth(2).InnerTextAsync(), Does.Contain("Checkout errors").And.Contain("Resolved"));
        Assert.That(await page.Locator("script").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Filter_BySeverityAndText()
    {
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context);

        await page.GetByLabel("Severity").SelectOptionAsync("Sev2");
        await page.GetByLabel("Title contains").FillAsync("login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        Assert.That(page.Url, Does.Contain("severity=Sev2").And.Contain("q=login"));
        var rows = page.Locator("table.incidents tbody tr");
        Assert.That(await rows.CountAsync(), Is.EqualTo(1));
        Assert.That(await rows.First.InnerTextAsync(), Does.Contain("Login latency").And.Contain("Mitigated"));
    }

    [Test]
    public async Task Incident_TimelineInAnotherTimeZone_RedactedLeftOut()
    {
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context);

        await page.GetByRole(AriaRole.Link, new() { Name = "INC-1", Exact = true }).ClickAsync();
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo("Checkout errors"));
        var paris = await page.Locator("table.timeline tbody tr").Nth(1).Locator("time").InnerTextAsync();
        Assert.That(await page.Locator("table.timeline caption").InnerTextAsync(), Is.EqualTo("Times in Europe/Paris"));

        await page.GetByLabel("Time zone").SelectOptionAsync("Asia/Tokyo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        Assert.That(await page.Locator("table.timeline caption").InnerTextAsync(), Is.EqualTo("Times in Asia/Tokyo"));
        var tokyo = await page.Locator("table.timeline tbody tr").Nth(1).Locator("time").InnerTextAsync();
        Assert.That(tokyo, Is.Not.EqualTo(paris), "the same instant, another wall clock");
        var timeline = await page.Locator("table.timeline").InnerTextAsync();
        Assert.That(timeline, Does.Contain("Rolled back build 1234").And.Contain("Left out of the postmortem").And.Not.Contain("customer secret detail"));
        Assert.That(await page.Locator("#participants + ul").InnerTextAsync(), Does.Contain("Grace"));
    }

    [Test]
    public async Task Postmortem_RenderedAndDownloaded()
    {
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context, "/incidents/1");

        await page.GetByRole(AriaRole.Link, new() { Name = "Postmortem draft" }).ClickAsync();
        Assert.That(await page.Locator("article.postmortem h1").InnerTextAsync(), Does.StartWith("INC-1 postmortem: Checkout errors"));
        Assert.That(await page.Locator("article.postmortem table").CountAsync(), Is.GreaterThan(0));

        var markdown = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download Markdown" }).ClickAsync());
        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download JSON" }).ClickAsync());

        Assert.That(markdown.SuggestedFilename, Is.EqualTo("INC-1-postmortem.md"));
        Assert.That(await File.ReadAllTextAsync((await markdown.PathAsync())!), Does.StartWith("# INC-1 postmortem: Checkout errors"));
        Assert.That(json.SuggestedFilename, Is.EqualTo("INC-1-postmortem.json"));
        Assert.That(await File.ReadAllTextAsync((await json.PathAsync())!), Does.Contain("\"key\": \"INC-1\""));
    }

    [Test]
    public async Task Insights_ChartAndItsTable()
    {
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context, "/insights");

        await page.GetByLabel("Range").SelectOptionAsync("365");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        Assert.That(await page.Locator("p.summary").InnerTextAsync(), Does.StartWith("3 incident(s) declared in the last 365 days"));
        var chart = page.Locator("svg#chart-ttm");
        Assert.That(await chart.GetAttributeAsync("role"), Is.EqualTo("img"));
        Assert.That(await chart.Locator("rect.bar").CountAsync(), Is.GreaterThan(0));
        Assert.That(await page.Locator("table.insights").InnerTextAsync(), Does.Contain("Sev1").And.Contain("25.0"));
        Assert.That(await page.Locator("ol.slowest li").First.InnerTextAsync(), Does.Contain("INC-1").And.Contain("Checkout errors"));
    }

    [Test]
    public async Task SignIn_UserOfAnotherWorkspace_Refused403()
    {
        Provider.User = new FakeOidcUser("U0EVE", "Eve", SlackTeamId: "T9");
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(BaseUrl + "/");

        Assert.That(response!.Status, Is.EqualTo(403));
        Assert.That(page.Url, Is.EqualTo(BaseUrl + "/denied?why=workspace"));
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Contain("does not serve"));
        Assert.That((await context.CookiesAsync()).Select(c => c.Name), Does.Not.Contain("IncidentBot.Web"));
    }

    [Test]
    public async Task SignedOut_RedirectedToSignIn_AndSignOutEndsTheSession()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var visited = new List<string>();
        page.Request += (_, request) => visited.Add(request.Url);

        await page.GotoAsync(BaseUrl + "/insights");
        Assert.That(visited, Has.Some.StartsWith(Provider.Authority + "/openid/connect/authorize"), "sent to the provider");
        Assert.That(page.Url, Is.EqualTo(BaseUrl + "/insights"), "and back, signed in");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out of IncidentBot" }).ClickAsync();
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Contain("You are signed out"));
        Assert.That((await context.CookiesAsync()).Select(c => c.Name), Does.Not.Contain("IncidentBot.Web"));
    }

    [Test]
    public async Task SignIn_SpoiledIdToken_Refused()
    {
        Provider.Flaw = FakeIdTokenFlaw.WrongSignature;
        try
        {
            await using var context = await NewContextAsync();
            var page = await context.NewPageAsync();

            var response = await page.GotoAsync(BaseUrl + "/");

            Assert.That(response!.Status, Is.EqualTo(403));
            Assert.That(page.Url, Is.EqualTo(BaseUrl + "/denied?why=signin"));
        }
        finally
        {
            Provider.Flaw = FakeIdTokenFlaw.None;
        }
    }

    [Test]
    public async Task UnknownIncident_404Page()
    {
        await using var context = await NewContextAsync();
        await SignInAsync(context);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(BaseUrl + "/incidents/999");

        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo("No incident INC-999"));
    }

    [Test]
    public async Task Phone_OneColumnUnder600px()
    {
        await using var context = await NewContextAsync(width: 390, height: 844);
        var page = await SignInAsync(context);

        var main = await page.Locator("main").BoundingBoxAsync();
        var header = await page.Locator("table.incidents thead").BoundingBoxAsync();
        var cells = page.Locator("table.incidents tbody tr").First.Locator("td");
        var first = await cells.Nth(0).BoundingBoxAsync();
        var second = await cells.Nth(1).BoundingBoxAsync();

        Assert.That(main!.Width, Is.LessThanOrEqualTo(390), "no sideways scrolling");
        Assert.That(header!.X, Is.LessThan(0), "column headings moved off screen; each cell carries its label");
        Assert.That(second!.Y, Is.GreaterThan(first!.Y), "cells stack in one column");
    }
}
