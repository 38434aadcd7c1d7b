using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Configuration;
using IncidentBot.Teams.Tests.Outbound;
using IncidentBot.Testing;
using IncidentBot.Testing.Teams;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>A validator pointed at a <see cref="FakeBotFrameworkIssuer"/>, with its own clock and key cache.</summary>
internal sealed class AuthRig : IDisposable
{
    public const string AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/50612dbb-0237-4969-b378-8d42590f9c00/";
    public const string Channel = "msteams";

    /// <param name="defaultServiceUrl">TeamsOptions.DefaultServiceUrl; null keeps the option's default (https://smba.trafficmanager.net/teams/).</param>
    public AuthRig(
        FakeBotFrameworkIssuer issuer,
        HttpClient http,
        string? tenantId = FakeBotFrameworkIssuer.DefaultTenantId,
        string? metadataUrl = null,
        string? defaultServiceUrl = null)
    {
        Issuer = issuer;
        var options = new TeamsOptions
        {
            AppId = AppId,
            TenantId = tenantId,
            OpenIdMetadataUrl = metadataUrl ?? issuer.OpenIdMetadataUrl,
            TokenEndpoint = issuer.TokenEndpoint,
        };
        if (defaultServiceUrl is not null)
        {
            options.DefaultServiceUrl = defaultServiceUrl;
        }

        Validator = new BotFrameworkTokenValidator(Options.Create(options), http, Clock, Logger);
    }

    public FakeBotFrameworkIssuer Issuer { get; }

    public FakeTimeProvider Clock { get; } = TestClock.Create();

    public ListLogger<BotFrameworkTokenValidator> Logger { get; } = new();

    public BotFrameworkTokenValidator Validator { get; }

    public string Token(FakeTokenOptions? tweaks = null, string audience = AppId, string serviceUrl = ServiceUrl) =>
        Issuer.CreateToken(audience, serviceUrl, Clock.GetUtcNow(), tweaks);

    public Task<TokenCheck> CheckAsync(string token, string? channelId = Channel, string? serviceUrl = ServiceUrl) =>
        Validator.ValidateAsync("Bearer " + token, channelId, serviceUrl, CancellationToken.None);

    public void Dispose() => Validator.Dispose();
}

/// <summary>Tests of the validator against one <see cref="FakeBotFrameworkIssuer"/> per fixture, each with a fresh <see cref="AuthRig"/>.</summary>
public abstract class AuthRigFixture
{
    private protected FakeBotFrameworkIssuer Issuer { get; private set; } = null!;

    private protected HttpClient Http { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartIssuerAsync()
    {
        Issuer = new FakeBotFrameworkIssuer();
        await Issuer.StartAsync();
        Http = new HttpClient();
    }

    [OneTimeTearDown]
    public async Task StopIssuerAsync()
    {
        Http.Dispose();
        await Issuer.DisposeAsync();
    }

    private protected AuthRig Rig(string? tenantId = FakeBotFrameworkIssuer.DefaultTenantId, string? defaultServiceUrl = null) =>
        new(Issuer, Http, tenantId, defaultServiceUrl: defaultServiceUrl);
}
