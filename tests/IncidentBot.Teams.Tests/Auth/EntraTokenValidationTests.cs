using IncidentBot.Teams.Auth;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>Tokens issued by the configured Entra tenant: keys from the tenant's metadata, <c>tid</c> checked, no endorsements.</summary>
public sealed class EntraTokenValidationTests : AuthRigFixture
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task ValidateAsync_EntraTokenForConfiguredTenant_Accepted(bool v1Issuer)
    {
        using var rig = Rig();
        var issuer = v1Issuer ? Issuer.EntraV1Issuer : Issuer.EntraIssuer;

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = issuer }));

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    // Configured so that it matches none of the cases below: only the built-in Bot Connector hosts can accept them.
    private const string UnrelatedDefaultServiceUrl = "http://127.0.0.1:9/unrelated/";
    private const string LoopbackDefaultServiceUrl = "http://127.0.0.1:5123/connector/";

    [TestCase(UnrelatedDefaultServiceUrl, "https://smba.trafficmanager.net/amer/")]
    [TestCase(UnrelatedDefaultServiceUrl, AuthRig.ServiceUrl)]
    [TestCase(UnrelatedDefaultServiceUrl, "https://SMBA.TrafficManager.net/teams/")]
    [TestCase(UnrelatedDefaultServiceUrl, "https://smba.infra.gcc.teams.microsoft.com/")]
    [TestCase(UnrelatedDefaultServiceUrl, "https://directline.botframework.com/")]
    [TestCase(UnrelatedDefaultServiceUrl, "https://directline.botframework.azure.us/")]
    [TestCase(UnrelatedDefaultServiceUrl, "https://directline.botframework.azure.cn/")]
    [TestCase(LoopbackDefaultServiceUrl, LoopbackDefaultServiceUrl)]
    [TestCase(LoopbackDefaultServiceUrl, "http://127.0.0.1:5123/")]
    [TestCase(LoopbackDefaultServiceUrl, "HTTP://127.0.0.1:5123/another/path")]
    public async Task ValidateAsync_EntraTokenWithoutServiceUrlClaim_TrustedOrDefaultServiceUrlHost_Accepted(string defaultServiceUrl, string serviceUrl)
    {
        var check = await CheckWithoutServiceUrlClaimAsync(defaultServiceUrl, serviceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    // A null default keeps the option's own (https://smba.trafficmanager.net/teams/).
    [TestCase(null, "https://evil.example.com/")]
    [TestCase(null, "http://smba.trafficmanager.net/amer/")]
    [TestCase(null, "https://smba.trafficmanager.net.evil.example/amer/")]
    [TestCase(null, "https://evil.example.com/smba.trafficmanager.net/")]
    [TestCase(null, "https://evilbotframework.com/")]
    [TestCase(null, "https://botframework.com.evil.example/")]
    [TestCase(null, "https://evil.example.com/?h=.teams.microsoft.com")]
    [TestCase(null, "smba.trafficmanager.net/amer/")]
    [TestCase(null, "")]
    [TestCase(null, null)]
    [TestCase(LoopbackDefaultServiceUrl, "http://127.0.0.1:5124/connector/")]
    [TestCase(LoopbackDefaultServiceUrl, "https://127.0.0.1:5123/connector/")]
    [TestCase(LoopbackDefaultServiceUrl, "http://localhost:5123/connector/")]
    public async Task ValidateAsync_EntraTokenWithoutServiceUrlClaim_UntrustedOrOtherThanDefaultServiceUrl_Unauthorized(string? defaultServiceUrl, string? serviceUrl)
    {
        var check = await CheckWithoutServiceUrlClaimAsync(defaultServiceUrl, serviceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl not trusted for a token without a serviceurl claim")));
    }

    private async Task<TokenCheck> CheckWithoutServiceUrlClaimAsync(string? defaultServiceUrl, string? serviceUrl)
    {
        using var rig = Rig(defaultServiceUrl: defaultServiceUrl);
        return await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer, OmitServiceUrl = true }), serviceUrl: serviceUrl);
    }

    [Test]
    public async Task ValidateAsync_EntraTokenWithMatchingServiceUrlClaim_OutsideTrustedHosts_Accepted()
    {
        // The claim binds the token to its connector, so the trusted-host list applies only to tokens without one.
        const string connector = "http://127.0.0.1:7777/connector/";
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer }, serviceUrl: connector), serviceUrl: connector);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [Test]
    public async Task ValidateAsync_EntraTokenWithOtherServiceUrl_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer }, serviceUrl: "https://evil.example/"));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl claim mismatch")));
    }

    [TestCase("99999999-9999-9999-9999-999999999999")]
    [TestCase("")]
    public async Task ValidateAsync_EntraTokenWithOtherTid_Unauthorized(string tid)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer, TenantId = tid }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("tid claim does not match the tenant")));
    }

    [Test]
    public async Task ValidateAsync_EntraTokenWithoutConfiguredTenant_Unauthorized()
    {
        using var rig = Rig(tenantId: null);

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("untrusted issuer")));
    }

    [Test]
    public async Task ValidateAsync_EntraIssuerSignedWithBotFrameworkKey_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer, Key = FakeSigningKey.BotFramework }));

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
        var token = rig.Token(new FakeTokenOptions { Issuer = Issuer.EntraIssuer });

        rig.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(6));

        Assert.That(await rig.CheckAsync(token), Is.EqualTo(TokenCheck.Unauthorized("token expired")));
    }
}
