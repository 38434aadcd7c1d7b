using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Teams.Auth;

/// <summary>
/// Validates the Bearer JWT on inbound activities as the Bot Connector authentication spec asks: Bot Framework
/// or configured-tenant Entra issuer, the bot's app id as audience, lifetime with 5 minutes of skew, an RS256
/// signature from the issuer's published keys, the key's channel endorsement (Bot Framework) or issuer (Entra),
/// and the <c>serviceurl</c> claim, or for an Entra token without one, a trusted Bot Connector serviceUrl.
/// </summary>
internal sealed class BotFrameworkTokenValidator : IBotTokenValidator, IDisposable
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private const string BearerPrefix = "Bearer ";
    private const string ServiceUrlClaim = "serviceurl";
    private const string TenantClaim = "tid";
    private const string TenantIdTemplate = "{tenantid}";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly OpenIdKeySource _botFrameworkKeys;
    private readonly OpenIdKeySource? _entraKeys;
    private readonly string? _tenantId;
    private readonly string[] _audiences;
    private readonly string[] _entraIssuers;
    private readonly Uri? _defaultServiceUrl;

    public BotFrameworkTokenValidator(IOptions<TeamsOptions> options, HttpClient httpClient, TimeProvider timeProvider, ILogger<BotFrameworkTokenValidator> logger)
    {
        var teams = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _botFrameworkKeys = new OpenIdKeySource(new Uri(teams.OpenIdMetadataUrl, UriKind.Absolute), httpClient, timeProvider, logger);
        _defaultServiceUrl = Uri.TryCreate(teams.DefaultServiceUrl, UriKind.Absolute, out var defaultServiceUrl) ? defaultServiceUrl : null;
        _audiences = string.IsNullOrWhiteSpace(teams.AppId) ? [] : [teams.AppId, $"api://{teams.AppId}", $"api://botid-{teams.AppId}"];
        if (string.IsNullOrWhiteSpace(teams.TenantId))
        {
            _entraIssuers = [];
        }
        else
        {
            _tenantId = teams.TenantId;
            _entraIssuers = [$"https://login.microsoftonline.com/{_tenantId}/v2.0", $"https://sts.windows.net/{_tenantId}/"];
            var authority = teams.TokenEndpoint.TrimEnd('/') + "/";
            var entraMetadata = new Uri($"{authority}{Uri.EscapeDataString(_tenantId)}/v2.0/.well-known/openid-configuration", UriKind.Absolute);
            _entraKeys = new OpenIdKeySource(entraMetadata, httpClient, timeProvider, logger);
        }
    }

    public async Task<TokenCheck> ValidateAsync(string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(authorizationHeader, channelId, serviceUrl, cancellationToken).ConfigureAwait(false);
        if (!check.IsAccepted)
        {
            AuthLog.TokenRefused(_logger, check.StatusCode, check.Reason);
        }

        return check;
    }

    private async Task<TokenCheck> CheckAsync(string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken)
    {
        if (_audiences.Length == 0)
        {
            return TokenCheck.Unauthorized("no bot app id configured");
        }

        if (authorizationHeader is null
            || !authorizationHeader.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || authorizationHeader.Length == BearerPrefix.Length)
        {
            return TokenCheck.Unauthorized("missing bearer token");
        }

        var token = authorizationHeader[BearerPrefix.Length..].Trim();
        JsonWebToken unvalidated;
        try
        {
            unvalidated = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return TokenCheck.Unauthorized("malformed token");
        }

        // The unvalidated issuer only picks which metadata to trust; ValidIssuer below checks it for real.
        var issuer = unvalidated.Issuer;
        var isBotFramework = string.Equals(issuer, BotFrameworkIssuer, StringComparison.Ordinal);
        var source = isBotFramework ? _botFrameworkKeys
            : _entraIssuers.Contains(issuer, StringComparer.Ordinal) ? _entraKeys
            : null;
        if (source is null)
        {
            return TokenCheck.Unauthorized("untrusted issuer");
        }

        var keyId = unvalidated.TryGetHeaderValue<string>(JwtHeaderParameterNames.Kid, out var kid) ? kid : null;
        var keys = await source.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            return TokenCheck.Unauthorized("signing keys unavailable");
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(issuer, keys)).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken validated)
        {
            return TokenCheck.Unauthorized(Describe(result.Exception));
        }

        return isBotFramework
            ? CheckBotFrameworkClaims(validated, keys, channelId, serviceUrl)
            : CheckEntraClaims(validated, keys, serviceUrl);
    }

    private TokenValidationParameters Parameters(string issuer, SigningKeySet keys) => new()
    {
        ValidIssuer = issuer,
        ValidAudiences = _audiences,
        IssuerSigningKeys = keys.Keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = ValidateLifetime,
    };

    private static TokenCheck CheckBotFrameworkClaims(JsonWebToken token, SigningKeySet keys, string? channelId, string? serviceUrl)
    {
        // An activity without a channel id needs no endorsement (botbuilder's EndorsementsValidator).
        if (!string.IsNullOrEmpty(channelId))
        {
            var signingKeyId = token.SigningKey?.KeyId ?? token.Kid;
            if (signingKeyId is null
                || !keys.EndorsementsByKeyId.TryGetValue(signingKeyId, out var endorsements)
                || !endorsements.Contains(channelId))
            {
                return TokenCheck.Forbidden("signing key not endorsed for the channel");
            }
        }

        if (!token.TryGetPayloadValue<string>(ServiceUrlClaim, out var claimed) || string.IsNullOrEmpty(claimed))
        {
            return TokenCheck.Unauthorized("serviceurl claim missing");
        }

        return SameServiceUrl(claimed, serviceUrl) ? TokenCheck.Accepted : TokenCheck.Unauthorized("serviceurl claim mismatch");
    }

    private TokenCheck CheckEntraClaims(JsonWebToken token, SigningKeySet keys, string? serviceUrl)
    {
        if (!token.TryGetPayloadValue<string>(TenantClaim, out var tenant) || !string.Equals(tenant, _tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Unauthorized("tid claim does not match the tenant");
        }

        if (!SigningKeyIssuerMatches(token, keys, tenant))
        {
            return TokenCheck.Unauthorized("signing key issuer does not match the token issuer");
        }

        // Entra-issued tokens may carry no serviceurl; when they do, it must match.
        if (token.TryGetPayloadValue<string>(ServiceUrlClaim, out var claimed))
        {
            return SameServiceUrl(claimed, serviceUrl) ? TokenCheck.Accepted : TokenCheck.Unauthorized("serviceurl claim mismatch");
        }

        // Nothing binds such a token to a connector, so only a known Bot Connector may get the bot's replies and token.
        return BotConnectorServiceUrls.IsTrusted(serviceUrl, _defaultServiceUrl)
            ? TokenCheck.Accepted
            : TokenCheck.Unauthorized("serviceurl not trusted for a token without a serviceurl claim");
    }

    /// <summary>
    /// By hand what Microsoft.IdentityModel.Validators' EnableAadSigningKeyIssuerValidation does (NOTES §1b): a key
    /// that names an issuer, with <c>{tenantid}</c> replaced by the token's <c>tid</c>, must name the token's tenant,
    /// in its v2 or v1 form (a v1 <c>sts.windows.net</c> token is signed by keys published with the v2 issuer).
    /// A key without an issuer is accepted, as there. The token's <c>iss</c> and <c>tid</c> are this tenant already.
    /// </summary>
    private bool SigningKeyIssuerMatches(JsonWebToken token, SigningKeySet keys, string tenant)
    {
        var signingKeyId = token.SigningKey?.KeyId ?? token.Kid;
        if (signingKeyId is null || !keys.IssuerByKeyId.TryGetValue(signingKeyId, out var keyIssuer))
        {
            return true;
        }

        var effective = keyIssuer.Replace(TenantIdTemplate, tenant, StringComparison.OrdinalIgnoreCase);
        return _entraIssuers.Contains(effective, StringComparer.OrdinalIgnoreCase);
    }

    internal static bool SameServiceUrl(string? claimed, string? activity) =>
        claimed is not null && activity is not null
        && string.Equals(TrimOneSlash(claimed), TrimOneSlash(activity), StringComparison.OrdinalIgnoreCase);

    private static string TrimOneSlash(string url) => url.EndsWith('/') ? url[..^1] : url;

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } nbf && nbf > exp)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's nbf is after its exp.");
        }

        if (now > exp + ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.");
        }

        if (notBefore is { } start && now < start - ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        }

        return true;
    }

    public void Dispose()
    {
        _botFrameworkKeys.Dispose();
        _entraKeys?.Dispose();
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenNoExpirationException => "token has no expiry",
        SecurityTokenInvalidLifetimeException => "token lifetime invalid",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAlgorithmException => "signing algorithm not allowed",
        SecurityTokenSignatureKeyNotFoundException => "signing key not found",
        SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenMalformedException => "malformed token",
        _ => "invalid token",
    };
}
