using IncidentBot.Teams.Auth;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>Each check of the Bot Connector authentication spec, against real keys served on loopback.</summary>
public sealed class BotFrameworkTokenValidatorTests : AuthRigFixture
{
    [TestCase(AuthRig.AppId)]
    [TestCase("api://" + AuthRig.AppId)]
    [TestCase("api://botid-" + AuthRig.AppId)]
    public async Task ValidateAsync_ValidBotFrameworkToken_Accepted(string audience)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(audience: audience));

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [Test]
    public async Task ValidateAsync_WrongAudience_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(audience: "11111111-2222-3333-4444-555555555555"));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("wrong audience")));
    }

    [TestCase("https://evil.example")]
    [TestCase("https://api.botframework.com/")]
    [TestCase("https://login.microsoftonline.com/99999999-9999-9999-9999-999999999999/v2.0")]
    public async Task ValidateAsync_UntrustedIssuer_Unauthorized(string issuer)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = issuer, Key = FakeSigningKey.BotFramework }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("untrusted issuer")));
    }

    [TestCase(0)]
    [TestCase(299)]
    [TestCase(300)]
    public async Task ValidateAsync_ExpiredWithinClockSkew_Accepted(int secondsPastExpiry)
    {
        using var rig = Rig();
        var token = rig.Token();

        rig.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(secondsPastExpiry));

        Assert.That(await rig.CheckAsync(token), Is.EqualTo(TokenCheck.Accepted));
    }

    [TestCase(301)]
    [TestCase(86_400)]
    public async Task ValidateAsync_ExpiredBeyondClockSkew_Unauthorized(int secondsPastExpiry)
    {
        using var rig = Rig();
        var token = rig.Token();

        rig.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(secondsPastExpiry));

        Assert.That(await rig.CheckAsync(token), Is.EqualTo(TokenCheck.Unauthorized("token expired")));
    }

    [Test]
    public async Task ValidateAsync_NotBeforeBeyondClockSkew_Unauthorized()
    {
        using var rig = Rig();
        var now = rig.Clock.GetUtcNow();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { NotBefore = now.AddMinutes(6), Expires = now.AddHours(1) }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("token not yet valid")));
    }

    [Test]
    public async Task ValidateAsync_NotBeforeWithinClockSkew_Accepted()
    {
        using var rig = Rig();
        var now = rig.Clock.GetUtcNow();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { NotBefore = now.AddMinutes(4), Expires = now.AddHours(1) }));

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [Test]
    public async Task ValidateAsync_KeyNotInJwks_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Key = FakeSigningKey.Unpublished }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("signing key not found")));
    }

    [Test]
    public async Task ValidateAsync_UnpublishedKeyClaimingPublishedKid_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Key = FakeSigningKey.Unpublished, KeyId = Issuer.CurrentKeyId }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("invalid signature")));
    }

    [TestCase("https://smba.trafficmanager.net/emea/50612dbb-0237-4969-b378-8d42590f9c00/")]
    [TestCase("https://evil.example/amer/50612dbb-0237-4969-b378-8d42590f9c00/")]
    [TestCase(null)]
    public async Task ValidateAsync_ServiceUrlMismatch_Unauthorized(string? activityServiceUrl)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(), serviceUrl: activityServiceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl claim mismatch")));
    }

    [TestCase("https://smba.trafficmanager.net/amer/50612dbb-0237-4969-b378-8d42590f9c00")]
    [TestCase("HTTPS://SMBA.trafficmanager.net/AMER/50612dbb-0237-4969-b378-8d42590f9c00/")]
    public async Task ValidateAsync_ServiceUrlDiffersInCaseOrTrailingSlash_Accepted(string activityServiceUrl)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(), serviceUrl: activityServiceUrl);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [Test]
    public async Task ValidateAsync_NoServiceUrlClaim_Unauthorized()
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { OmitServiceUrl = true }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("serviceurl claim missing")));
    }

    [TestCase(FakeSigningKey.NotEndorsed, AuthRig.Channel)]
    [TestCase(FakeSigningKey.NoEndorsements, AuthRig.Channel)]
    [TestCase(FakeSigningKey.BotFramework, "webchat")]
    public async Task ValidateAsync_KeyNotEndorsedForChannel_Forbidden(FakeSigningKey key, string channelId)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Key = key }), channelId);

        Assert.That(check, Is.EqualTo(TokenCheck.Forbidden("signing key not endorsed for the channel")));
    }

    [TestCase(FakeSigningKey.NoEndorsements)]
    [TestCase(FakeSigningKey.NotEndorsed)]
    public async Task ValidateAsync_NoChannelId_NeedsNoEndorsement(FakeSigningKey key)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Key = key }), channelId: "");

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [TestCase(FakeTokenAlgorithm.None)]
    [TestCase(FakeTokenAlgorithm.HS256WithPublicKey)]
    public async Task ValidateAsync_NotRs256_Unauthorized(FakeTokenAlgorithm algorithm)
    {
        using var rig = Rig();

        var check = await rig.CheckAsync(rig.Token(new FakeTokenOptions { Algorithm = algorithm }));

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("invalid signature")));
    }

    [TestCase(null, "missing bearer token")]
    [TestCase("", "missing bearer token")]
    [TestCase("Bearer", "missing bearer token")]
    [TestCase("Bearer ", "missing bearer token")]
    [TestCase("Basic dXNlcjpwYXNz", "missing bearer token")]
    [TestCase("Bearer not-a-jwt", "malformed token")]
    [TestCase("Bearer a.b.c", "malformed token")]
    [TestCase("Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0", "malformed token")]
    public async Task ValidateAsync_MissingOrMalformedHeader_Unauthorized(string? header, string reason)
    {
        using var rig = Rig();

        var check = await rig.Validator.ValidateAsync(header, AuthRig.Channel, AuthRig.ServiceUrl, CancellationToken.None);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized(reason)));
    }

    [Test]
    public async Task ValidateAsync_LowerCaseBearerScheme_Accepted()
    {
        using var rig = Rig();

        var check = await rig.Validator.ValidateAsync("bearer " + rig.Token(), AuthRig.Channel, AuthRig.ServiceUrl, CancellationToken.None);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [Test]
    public async Task ValidateAsync_RefusedTokens_NeverLogged()
    {
        using var rig = Rig();
        var tokens = new[]
        {
            rig.Token(audience: "someone-else"),
            rig.Token(new FakeTokenOptions { Key = FakeSigningKey.NotEndorsed }),
            rig.Token(new FakeTokenOptions { Algorithm = FakeTokenAlgorithm.None }),
        };

        foreach (var token in tokens)
        {
            Assert.That((await rig.CheckAsync(token)).IsAccepted, Is.False);
        }

        var logged = rig.Logger.Entries.Select(e => e.Text).ToList();
        Assert.That(logged, Has.Some.Contains("refused"));
        foreach (var token in tokens)
        {
            var payload = token.Split('.')[1];
            Assert.That(logged, Has.None.Contains(payload));
        }
    }
}
