using IncidentBot.Teams.Auth;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>Tokens issued by the configured Entra tenant: keys from the tenant's metadata, <c>tid</c> checked, no endorsements.</summary>
public sealed class EntraTokenValidationTests
{
    private FakeBotFrameworkIssuer _issuer = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartIssuerAsync()
    {
        _issuer = new FakeBotFrameworkIssuer();
        await _issuer.StartAsync();
        _http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopIssuerAsync()
    {
        _http.Dispose();
        await _issuer.DisposeAsync();
    }

    private AuthRig Rig(string? tenantId = FakeBotFrameworkIssuer.DefaultTenantId) => new(_issuer, _http, tenantId);

    [TestCase(false)]
    [TestCase(true)]
    public async Task ValidateAsync_EntraTokenForConfiguredTenant_Accepted(bool v1Issuer)
    {
        using var rig = Rig();
        var issuer = v1Issuer ? _issuer.EntraV1Issuer : _issuer.EntraIssuer;

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = issuer }));

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    // Configured so that it matches none of the cases below: only the built-in Bot Connector hosts can accept them.
    private const string UnrelatedDefaultServiceUrl = "http://127.0.0.1:9/unrelated/";
    private const string LoopbackDefaultServiceUrl = "http://127.0.0.1:5123/connector/";

    [TestCase("https://smba.trafficmanager.net/amer/")]
    [TestCase(AuthRig.ServiceUrl)]
    [TestCase("https://SMBA.TrafficManager.net/teams/")]
    [TestCase("https://smba.infra.gcc.teams.microsoft.com/")]
    [TestCase("https://directline.botframework.com/")]
    [TestCase("https://directline.botframework.azure.us/")]
    [TestCase("https://directline.botframework.azure.cn/")]
    public async Task ValidateAsync_EntraTokenWithoutServiceUrlClaim_TrustedServiceUrl_Accepted(string serviceUrl)
    {
        using var rig = new AuthRig(_issuer, _http, defaultServiceUrl: UnrelatedDefaultServiceUrl);

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer, OmitServiceUrl = true }), serviceUrl: serviceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [TestCase("https://evil.example.com/")]
    [TestCase("http://smba.trafficmanager.net/amer/")]
    [TestCase("https://smba.trafficmanager.net.evil.example/amer/")]
    [TestCase("https://evil.example.com/smba.trafficmanager.net/")]
    [TestCase("https://evilbotframework.com/")]
    [TestCase("https://botframework.com.evil.example/")]
    [TestCase("https://evil.example.com/?h=.teams.microsoft.com")]
    [TestCase("smba.trafficmanager.net/amer/")]
    [TestCase("")]
    [TestCase(null)]
    public async Task ValidateAsync_EntraTokenWithoutServiceUrlClaim_UntrustedServiceUrl_Unauthorized(string? serviceUrl)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer, OmitServiceUrl = true }), serviceUrl: serviceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl not trusted for a token without a serviceurl claim")));
    }

    [TestCase(LoopbackDefaultServiceUrl)]
    [TestCase("http://127.0.0.1:5123/")]
    [TestCase("HTTP://127.0.0.1:5123/another/path")]
    public async Task ValidateAsync_EntraTokenWithoutServiceUrlClaim_ConfiguredDefaultServiceUrlHost_Accepted(string serviceUrl)
    {
        using var rig = new AuthRig(_issuer, _http, defaultServiceUrl: LoopbackDefaultServiceUrl);

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer, OmitServiceUrl = true }), serviceUrl: serviceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [TestCase("http://127.0.0.1:5124/connector/")]
    [TestCase("https://127.0.0.1:5123/connector/")]
    [TestCase("http://localhost:5123/connector/")]
    public async Task ValidateAsync_EntraTokenWithoutServiceUrlClaim_OtherSchemeHostOrPortThanDefault_Unauthorized(string serviceUrl)
    {
        using var rig = new AuthRig(_issuer, _http, defaultServiceUrl: LoopbackDefaultServiceUrl);

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer, OmitServiceUrl = true }), serviceUrl: serviceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl not trusted for a token without a serviceurl claim")));
    }

    [Test]
    public async Task ValidateAsync_EntraTokenWithMatchingServiceUrlClaim_OutsideTrustedHosts_Accepted()
    {
        // The claim binds the token to its connector, so the trusted-host list applies only to tokens without one.
        const string connector = "http://127.0.0.1:7777/connector/";
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer }, serviceUrl: connector), serviceUrl: connector);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [Test]
    public async Task ValidateAsync_EntraTokenWithOtherServiceUrl_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer }, serviceUrl: "https://evil.example/"));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl claim mismatch")));
    }

    [TestCase("99999999-9999-9999-9999-999999999999")]
    [TestCase("")]
    public async Task ValidateAsync_EntraTokenWithOtherTid_Unauthorized(string tid)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer, TenantId = tid }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("tid claim does not match the tenant")));
    }

    [Test]
    public async Task ValidateAsync_EntraTokenWithoutConfiguredTenant_Unauthorized()
    {
        using var rig = Rig(tenantId: null);

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("untrusted issuer")));
    }

    [Test]
    public async Task ValidateAsync_EntraIssuerSignedWithBotFrameworkKey_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer, Key = FakeSigningKey.BotFramework }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("signing key not found")));
    }

    [Test]
    public async Task ValidateAsync_BotFrameworkIssuerSignedWithEntraKey_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Key = FakeSigningKey.Entra }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("signing key not found")));
    }

    [Test]
    public async Task ValidateAsync_ExpiredEntraToken_Unauthorized()
    {
        using var rig = Rig();
        var token = rig.Token(new FakeTokenOptions { Issuer = _issuer.EntraIssuer });

        rig.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(6));

        Assert.That(await rig.CheckAsync(token), Is.EqualTo(TokenCheck.Unauthorized("token expired")));
    }
}
