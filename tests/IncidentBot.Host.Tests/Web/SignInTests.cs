using System.Net;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Testing.Oidc;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Web;

/// <summary>OpenID Connect sign-in against a fake provider on loopback, the browser's part played by two HttpClients.</summary>
public sealed class SignInTests
{
    private const string ClientId = "web-client-id";
    private const string ClientSecret = "web-client-secret-0123456789";
    private const string Tenant = "7a1f3c2e-5b4d-4e6f-8a9b-0c1d2e3f4a5b";

    private FakeOidcProvider _provider = null!;
    private TestHost _host = null!;
    private WebApplicationFactory<Program> _web = null!;
    private HttpClient _idpBrowser = null!;

    [SetUp]
    public async Task SetUp()
    {
        _provider = new FakeOidcProvider(ClientId, ClientSecret, TimeProvider.System);
        await _provider.StartAsync();
        _host = new TestHost(new()
        {
            ["IncidentBot:Web:Oidc:Authority"] = _provider.Authority,
            ["IncidentBot:Web:Oidc:ClientId"] = ClientId,
            ["IncidentBot:Web:Oidc:ClientSecret"] = ClientSecret,
            ["IncidentBot:Web:Oidc:RequireHttpsMetadata"] = "false",
            ["IncidentBot:Web:AllowAnonymousLoopback"] = "false",
            ["IncidentBot:Slack:AllowedTeamIds:0"] = "T1",
            ["IncidentBot:Teams:TenantId"] = Tenant,
        });
        // The provider's tokens and the browser's cookies live on the real clock: so does the host's here.
        _host.Clock.SetUtcNow(TimeProvider.System.GetUtcNow());
        _web = RemoteAddress.From(_host, IPAddress.Parse("203.0.113.9"));
        _idpBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
    }

    [TearDown]
    public async Task TearDown()
    {
        _idpBrowser.Dispose();
        await _web.DisposeAsync();
        await _host.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private HttpClient Browser() => _web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Opens <paramref name="path"/>, follows the sign-in through the provider, and returns the answer to the callback.</summary>
    private async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string path = "/")
    {
        using var challenge = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(challenge.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(challenge.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(_provider.Authority + "/openid/connect/authorize"));
        using var authorize = await _idpBrowser.GetAsync(challenge.Headers.Location);
        Assert.That(authorize.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return await browser.GetAsync(authorize.Headers.Location!);
    }

    [Test]
    public async Task SignedOut_RedirectedToTheProvider_WithCodeFlowPkceAndNonce()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync(new Uri("/insights", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.That(query["response_type"].ToString(), Is.EqualTo("code"));
        Assert.That(query.TryGetValue("response_mode", out var mode) ? mode.ToString() : "query", Is.EqualTo("query"), "the code comes back in the query");
        Assert.That(query["code_challenge_method"].ToString(), Is.EqualTo("S256"));
        Assert.That(query["code_challenge"].ToString(), Is.Not.Empty);
        Assert.That(query["nonce"].ToString(), Is.Not.Empty);
        Assert.That(query["scope"].ToString().Split(' '), Does.Contain("openid"));
        Assert.That(query["redirect_uri"].ToString(), Is.EqualTo("http://localhost/signin-oidc"));
    }

    [Test]
    public async Task SignIn_SlackUserOfTheWorkspace_SeesThePagesWithASecureSlidingCookie()
    {
        using var browser = Browser();

        using var callback = await SignInAsync(browser, "/insights");
        using var page = await browser.GetAsync(new Uri("/insights", UriKind.Relative));

        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(callback.Headers.Location!.OriginalString, Is.EqualTo("/insights"));
        var cookie = callback.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("IncidentBot.Web=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=lax").IgnoreCase);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("<h1>Insights</h1>").And.Contain("Ada Lovelace"));
        Assert.That(_provider.TokensIssued, Is.EqualTo(1));
    }

    [Test]
    public async Task SignIn_PublicBaseUrl_IsWhereTheProviderSendsTheCodeBack()
    {
        using var behindProxy = _web.WithWebHostBuilder(b => b.UseSetting("IncidentBot:Web:PublicBaseUrl", "https://incidents.example.com/"));
        using var browser = behindProxy.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var challenge = await browser.GetAsync(new Uri("/", UriKind.Relative));

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(challenge.Headers.Location!.Query);
        Assert.That(query["redirect_uri"].ToString(), Is.EqualTo("https://incidents.example.com/signin-oidc"));
    }

    [Test]
    public async Task Cookies_OutsideDevelopment_Secure()
    {
        using var production = _web.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var browser = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var challenge = await browser.GetAsync(new Uri("/", UriKind.Relative));

        var cookies = challenge.Headers.GetValues("Set-Cookie").ToList();
        Assert.That(cookies, Is.Not.Empty);
        Assert.That(cookies, Has.All.Contains("secure").IgnoreCase.And.All.Contains("samesite=lax").IgnoreCase.And.All.Contains("httponly").IgnoreCase);
    }

    [Test]
    public async Task SignIn_EntraUserOfTheTenant_LetIn()
    {
        _provider.User = new FakeOidcUser("entra-oid-1", "Grace Hopper", TenantId: Tenant.ToUpperInvariant());
        using var browser = Browser();

        using var callback = await SignInAsync(browser);
        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Grace Hopper"));
    }

    [TestCase("T2", null)]
    [TestCase(null, "00000000-0000-0000-0000-000000000bad")]
    [TestCase(null, null)]
    public async Task SignIn_UserOfAnotherWorkspaceOrTenant_Refused403(string? team, string? tenant)
    {
        _provider.User = new FakeOidcUser("U0EVE", "Eve", team, tenant);
        using var browser = Browser();

        using var callback = await SignInAsync(browser);
        using var denied = await browser.GetAsync(callback.Headers.Location!);
        using var again = await browser.GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(callback.Headers.Location!.OriginalString, Is.EqualTo("/denied?why=workspace"));
        Assert.That(callback.Headers.Contains("Set-Cookie") && callback.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("IncidentBot.Web=", StringComparison.Ordinal)), Is.False, "no session");
        Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await denied.Content.ReadAsStringAsync(), Does.Contain("a workspace or tenant this IncidentBot does not serve"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "still signed out: sent to sign in");
    }

    [TestCase(FakeIdTokenFlaw.WrongSignature)]
    [TestCase(FakeIdTokenFlaw.WrongAudience)]
    [TestCase(FakeIdTokenFlaw.WrongIssuer)]
    [TestCase(FakeIdTokenFlaw.WrongNonce)]
    [TestCase(FakeIdTokenFlaw.Expired)]
    public async Task SignIn_SpoiledIdToken_Refused(FakeIdTokenFlaw flaw)
    {
        _provider.Flaw = flaw;
        using var browser = Browser();

        using var callback = await SignInAsync(browser);
        using var denied = await browser.GetAsync(callback.Headers.Location!);
        using var again = await browser.GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(_provider.TokensIssued, Is.EqualTo(1), "the code was redeemed");
        Assert.That(callback.Headers.Location!.OriginalString, Is.EqualTo("/denied?why=signin"));
        Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await denied.Content.ReadAsStringAsync(), Does.Contain("The sign-in could not be completed"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task SignIn_ProviderAnswersOkFalse_Refused()
    {
        // Slack's token method answers HTTP 200 with {"ok":false,"error":"bad_client_secret"}, not an OAuth error.
        using var misconfigured = _web.WithWebHostBuilder(b => b.UseSetting("IncidentBot:Web:Oidc:ClientSecret", "not-the-client-secret-at-all"));
        using var browser = misconfigured.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var callback = await SignInAsync(browser);

        Assert.That(callback.Headers.Location!.OriginalString, Is.EqualTo("/denied?why=signin"));
        Assert.That(_provider.TokensIssued, Is.Zero);
    }

    [Test]
    public async Task SignIn_CallbackReplayed_RefusedTheSecondTime()
    {
        using var browser = Browser();
        using var challenge = await browser.GetAsync(new Uri("/", UriKind.Relative));
        using var authorize = await _idpBrowser.GetAsync(challenge.Headers.Location);

        using var first = await browser.GetAsync(authorize.Headers.Location!);
        using var stranger = Browser();
        using var replay = await stranger.GetAsync(authorize.Headers.Location!);

        Assert.That(first.Headers.Location!.OriginalString, Is.EqualTo("/"));
        Assert.That(replay.Headers.Location!.OriginalString, Is.EqualTo("/denied?why=signin"), "another browser has no correlation cookie");
    }

    [Test]
    public async Task SignOut_ThePostEndsTheSession()
    {
        using var browser = Browser();
        using var callback = await SignInAsync(browser);
        var form = await (await browser.GetAsync(new Uri("/signout", UriKind.Relative))).Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        using var withoutToken = await browser.PostAsync(new Uri("/signout", UriKind.Relative), new FormUrlEncodedContent([]));
        using var signedOut = await browser.PostAsync(new Uri("/signout", UriKind.Relative), new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.That(token, Is.Not.Empty, "the form carries an antiforgery token");
        using var after = await browser.GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "no sign-out without the form's token");
        Assert.That(await signedOut.Content.ReadAsStringAsync(), Does.Contain("You are signed out"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo(_provider.Authority + "/openid/connect/authorize"));
    }
}
