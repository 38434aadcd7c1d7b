using IncidentBot.Teams.Configuration;
using IncidentBot.Teams.Outbound;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>Client-credentials tokens from the fake Entra endpoint through MSAL: cached, per scope, refreshed on demand.</summary>
public sealed class BotTokenProviderTests
{
    private TeamsOutboundRig _rig = null!;

    [SetUp]
    public async Task SetUpAsync() => _rig = await TeamsOutboundRig.StartAsync();

    [TearDown]
    public async Task TearDownAsync() => await _rig.DisposeAsync();

    [Test]
    public async Task GetTokenAsync_CalledTwice_RequestsOnceAndServesFromCache()
    {
        var first = await _rig.Tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, false, CancellationToken.None);
        var second = await _rig.Tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, false, CancellationToken.None);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(_rig.Fake.TokenRequestCount(FakeTeamsServer.BotConnectorScope), Is.EqualTo(1));
    }

    [Test]
    public async Task GetTokenAsync_TwoScopes_OneRequestPerScopeWithDistinctTokens()
    {
        var bot = await _rig.Tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, false, CancellationToken.None);
        var graph = await _rig.Tokens.GetTokenAsync(BotTokenProvider.GraphScope, false, CancellationToken.None);
        await _rig.Tokens.GetTokenAsync(BotTokenProvider.GraphScope, false, CancellationToken.None);

        Assert.That(graph, Is.Not.EqualTo(bot));
        Assert.That(_rig.Fake.TokenRequests, Is.EqualTo(new[] { FakeTeamsServer.BotConnectorScope, FakeTeamsServer.GraphScope }));
    }

    [Test]
    public async Task GetTokenAsync_Request_IsClientCredentialsForTheTenant()
    {
        await _rig.Tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, false, CancellationToken.None);

        var call = _rig.Fake.CallsTo(FakeTeamsRoutes.Token).Single();
        Assert.That(call.Path, Is.EqualTo($"/{_rig.Fake.TenantId}/oauth2/v2.0/token"));
        Assert.That(call.Form["grant_type"], Is.EqualTo("client_credentials"));
        Assert.That(call.Form["client_id"], Is.EqualTo(_rig.Fake.AppId));
        Assert.That(call.Form["scope"], Is.EqualTo("https://api.botframework.com/.default"));
    }

    [Test]
    public async Task GetTokenAsync_ForceRefresh_RequestsANewToken()
    {
        var first = await _rig.Tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, false, CancellationToken.None);
        var refreshed = await _rig.Tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, true, CancellationToken.None);

        Assert.That(refreshed, Is.Not.EqualTo(first));
        Assert.That(_rig.Fake.TokenRequestCount(FakeTeamsServer.BotConnectorScope), Is.EqualTo(2));
    }

    [Test]
    public async Task GetTokenAsync_TokenRejected_NextCallFetchesANewOne()
    {
        var first = await _rig.Tokens.GetTokenAsync(BotTokenProvider.GraphScope, false, CancellationToken.None);
        _rig.Tokens.TokenRejected(BotTokenProvider.GraphScope, "test");

        var next = await _rig.Tokens.GetTokenAsync(BotTokenProvider.GraphScope, false, CancellationToken.None);

        Assert.That(next, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task GetTokenAsync_WrongSecret_PermanentErrorWithoutTheSecret()
    {
        var options = new TeamsOptions
        {
            AppId = _rig.Fake.AppId,
            AppPassword = "wrong-secret",
            TenantId = _rig.Fake.TenantId,
            TokenEndpoint = _rig.Fake.TokenEndpoint,
        };
        var log = new ListLogger<BotTokenProvider>();
        using var tokens = new BotTokenProvider(Microsoft.Extensions.Options.Options.Create(options), log);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => tokens.GetTokenAsync(BotTokenProvider.BotConnectorScope, false, CancellationToken.None));

        Assert.That(e!.StatusCode, Is.EqualTo(401));
        Assert.That(e.ErrorCode, Is.EqualTo("invalid_client"));
        Assert.That(e.IsTransient, Is.False);
        Assert.That(log.Entries.Select(x => x.Text), Has.None.Contains("wrong-secret"));
    }

    [Test]
    public async Task GetTokenAsync_NoAppId_PermanentErrorNamingTheKey()
    {
        using var tokens = new BotTokenProvider(Microsoft.Extensions.Options.Options.Create(new TeamsOptions { TenantId = "t" }), new ListLogger<BotTokenProvider>());

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => tokens.GetTokenAsync(BotTokenProvider.GraphScope, false, CancellationToken.None));

        Assert.That(e!.IsTransient, Is.False);
        Assert.That(e.Message, Does.Contain("IncidentBot:Teams:AppId"));
    }

    [Test]
    public void Authority_HttpsEndpoint_IsTheAuthorityItself()
    {
        var (authority, redirect) = BotTokenProvider.Authority("https://login.microsoftonline.us/", "contoso");

        Assert.That(authority, Is.EqualTo("https://login.microsoftonline.us/contoso"));
        Assert.That(redirect, Is.Null);
    }

    [Test]
    public void Authority_LoopbackHttp_KeepsMicrosoftAuthorityAndRedirects()
    {
        var (authority, redirect) = BotTokenProvider.Authority("http://127.0.0.1:5555", "contoso");

        Assert.That(authority, Is.EqualTo("https://login.microsoftonline.com/contoso"));
        Assert.That(redirect, Is.EqualTo(new Uri("http://127.0.0.1:5555/")));
    }

    [Test]
    public void Authority_RemotePlainHttp_Refused() =>
        Assert.Throws<InvalidOperationException>(() => BotTokenProvider.Authority("http://login.example.com/", "contoso"));
}
