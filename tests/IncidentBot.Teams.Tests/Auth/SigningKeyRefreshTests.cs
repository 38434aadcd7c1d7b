using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Configuration;
using IncidentBot.Testing;
using IncidentBot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>The key cache: one fetch per refresh interval, a rate-limited early fetch for an unknown kid, and no throw when the issuer is down.</summary>
public sealed class SigningKeyRefreshTests
{
    private FakeBotFrameworkIssuer _issuer = null!;
    private HttpClient _http = null!;

    // A fresh issuer per test: these tests rotate its keys and count its requests.
    [SetUp]
    public async Task StartIssuerAsync()
    {
        _issuer = new FakeBotFrameworkIssuer();
        await _issuer.StartAsync();
        _http = new HttpClient();
    }

    [TearDown]
    public async Task StopIssuerAsync()
    {
        _http.Dispose();
        await _issuer.DisposeAsync();
    }

    [Test]
    public async Task ValidateAsync_WithinRefreshInterval_FetchesKeysOnce()
    {
        using var rig = new AuthRig(_issuer, _http);

        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));
        rig.Clock.Advance(TimeSpan.FromHours(11));
        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));

        Assert.That((_issuer.MetadataRequests, _issuer.KeysRequests), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task ValidateAsync_AfterRefreshInterval_FetchesKeysAgain()
    {
        using var rig = new AuthRig(_issuer, _http);
        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));

        rig.Clock.Advance(OpenIdKeySource.RefreshInterval);

        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));
        Assert.That((_issuer.MetadataRequests, _issuer.KeysRequests), Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task ValidateAsync_RotatedKeyRightAfterFetch_RefusedUntilRefreshInterval()
    {
        using var rig = new AuthRig(_issuer, _http);
        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));
        _issuer.RotateKey();

        var early = await rig.CheckAsync(rig.Token());
        rig.Clock.Advance(TimeSpan.FromHours(12));
        var afterRefresh = await rig.CheckAsync(rig.Token());

        Assert.That(early.StatusCode, Is.EqualTo(401), "an unknown kid forces no fetch within 5 minutes of the last one");
        Assert.That(afterRefresh, Is.EqualTo(TokenCheck.Accepted));
        Assert.That(_issuer.KeysRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task ValidateAsync_UnknownKidAfterMinimumInterval_RefreshesAndAccepts()
    {
        using var rig = new AuthRig(_issuer, _http);
        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));
        var rotated = _issuer.RotateKey();

        rig.Clock.Advance(OpenIdKeySource.MinimumForcedRefreshInterval);
        var check = await rig.CheckAsync(rig.Token());

        Assert.That(_issuer.CurrentKeyId, Is.EqualTo(rotated));
        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
        Assert.That(_issuer.KeysRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task ValidateAsync_UnknownKidTwiceWithinMinimumInterval_FetchesOnce()
    {
        using var rig = new AuthRig(_issuer, _http);
        Assert.That(await rig.CheckAsync(rig.Token()), Is.EqualTo(TokenCheck.Accepted));
        rig.Clock.Advance(TimeSpan.FromMinutes(10));

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await rig.CheckAsync(rig.Token(new FakeTokenOptions { Key = FakeSigningKey.Unpublished }))).StatusCode, Is.EqualTo(401));
        }

        Assert.That(_issuer.KeysRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task ValidateAsync_IssuerUnreachable_UnauthorizedWithoutThrowing()
    {
        // Nothing listens on the fake's address once it is stopped.
        using var rig = new AuthRig(_issuer, _http);
        var token = rig.Token();
        await _issuer.DisposeAsync();

        var check = await rig.CheckAsync(token);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("signing keys unavailable")));
        Assert.That(rig.Logger.Entries.Select(e => e.Id.Id), Does.Contain(3101));
    }

    [Test]
    public async Task ValidateAsync_RefreshFailsAfterInterval_KeepsCachedKeys()
    {
        using var rig = new AuthRig(_issuer, _http);
        var now = rig.Clock.GetUtcNow();
        var token = rig.Token(new FakeTokenOptions { NotBefore = now, Expires = now.AddHours(13) });
        Assert.That(await rig.CheckAsync(token), Is.EqualTo(TokenCheck.Accepted));
        await _issuer.DisposeAsync();

        rig.Clock.Advance(OpenIdKeySource.RefreshInterval);

        Assert.That(await rig.CheckAsync(token), Is.EqualTo(TokenCheck.Accepted));
        Assert.That(rig.Logger.Entries.Select(e => e.Id.Id), Does.Contain(3101));
    }

    [Test]
    public async Task ValidateAsync_PlainHttpOutsideLoopback_RefusesToFetch()
    {
        using var rig = new AuthRig(_issuer, _http, metadataUrl: "http://login.botframework.invalid/v1/.well-known/openidconfiguration");

        var check = await rig.CheckAsync(rig.Token());

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("signing keys unavailable")));
        Assert.That(rig.Logger.Entries.Where(e => e.Id.Id == 3101).Select(e => e.Text), Has.One.Contains(nameof(ArgumentException)));
    }

    [TestCase("http://127.0.0.1:5000/keys", true)]
    [TestCase("http://localhost:5000/keys", true)]
    [TestCase("http://[::1]:5000/keys", true)]
    [TestCase("http://login.botframework.com/v1/.well-known/keys", false)]
    [TestCase("https://login.botframework.com/v1/.well-known/keys", false)]
    public void IsLoopbackHttp_Address_AllowsPlainHttpOnlyOnLoopback(string url, bool expected) =>
        Assert.That(OpenIdKeySource.IsLoopbackHttp(new Uri(url)), Is.EqualTo(expected));

    [Test]
    public async Task AddTeamsAuth_Registered_ValidatorAcceptsValidToken()
    {
        var clock = TestClock.Create();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(Options.Create(new TeamsOptions
        {
            AppId = AuthRig.AppId,
            OpenIdMetadataUrl = _issuer.OpenIdMetadataUrl,
            TokenEndpoint = _issuer.TokenEndpoint,
        }));
        await using var provider = services.AddTeamsAuth().BuildServiceProvider();
        var validator = provider.GetRequiredService<IBotTokenValidator>();
        var token = _issuer.CreateToken(AuthRig.AppId, AuthRig.ServiceUrl, clock.GetUtcNow());

        var check = await validator.ValidateAsync("Bearer " + token, AuthRig.Channel, AuthRig.ServiceUrl, CancellationToken.None);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
        Assert.That(provider.GetRequiredService<IBotTokenValidator>(), Is.SameAs(validator));
    }
}
