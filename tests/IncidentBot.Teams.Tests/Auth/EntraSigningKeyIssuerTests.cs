using IncidentBot.Teams.Auth;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>The <c>issuer</c> of the Entra key that signed a token must name the token's tenant (EnableAadSigningKeyIssuerValidation by hand).</summary>
public sealed class EntraSigningKeyIssuerTests
{
    private const string OtherTenantId = "99999999-9999-9999-9999-999999999999";
    private const string TemplateKeyIssuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
    private const string TenantV2KeyIssuer = "https://login.microsoftonline.com/" + FakeBotFrameworkIssuer.DefaultTenantId + "/v2.0";

    private HttpClient _http = null!;

    [OneTimeSetUp]
    public void CreateClient() => _http = new HttpClient();

    [OneTimeTearDown]
    public void DisposeClient() => _http.Dispose();

    [TestCase(TemplateKeyIssuer, false)]
    [TestCase(TemplateKeyIssuer, true)]
    [TestCase(TenantV2KeyIssuer, false)]
    [TestCase(TenantV2KeyIssuer, true)]
    public async Task ValidateAsync_KeyIssuerNamesTokenTenant_Accepted(string keyIssuer, bool v1Token)
    {
        var check = await CheckEntraTokenAsync(keyIssuer, v1Token);

        Assert.That(check, Is.EqualTo(TokenCheck.Accepted));
    }

    [TestCase("https://login.microsoftonline.com/" + OtherTenantId + "/v2.0", false)]
    [TestCase("https://login.microsoftonline.com/" + OtherTenantId + "/v2.0", true)]
    [TestCase("https://sts.windows.net/" + OtherTenantId + "/", false)]
    [TestCase("https://login.microsoftonline.com/common/v2.0", false)]
    [TestCase("https://login.evil.example/{tenantid}/v2.0", false)]
    public async Task ValidateAsync_KeyIssuerNamesAnotherTenant_Unauthorized(string keyIssuer, bool v1Token)
    {
        var check = await CheckEntraTokenAsync(keyIssuer, v1Token);

        Assert.That(check, Is.EqualTo(TokenCheck.Unauthorized("signing key issuer does not match the token issuer")));
    }

    /// <summary>A valid Entra token of the configured tenant, signed by a key published with <paramref name="keyIssuer"/>.</summary>
    private async Task<TokenCheck> CheckEntraTokenAsync(string keyIssuer, bool v1Token)
    {
        await using var issuer = new FakeBotFrameworkIssuer { EntraKeyIssuer = keyIssuer };
        await issuer.StartAsync();
        using var rig = new AuthRig(issuer, _http);

        var tokenIssuer = v1Token ? issuer.EntraV1Issuer : issuer.EntraIssuer;
        return await rig.CheckAsync(rig.Token(new FakeTokenOptions { Issuer = tokenIssuer }));
    }
}
