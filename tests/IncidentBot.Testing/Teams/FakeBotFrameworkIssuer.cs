using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Testing.Teams;

/// <summary>
/// A fake Bot Framework token service and Entra tenant on 127.0.0.1: OpenID metadata, JWKS with the non-standard
/// <c>endorsements</c> array, and minted tokens (valid or deliberately broken). Pass <see cref="OpenIdMetadataUrl"/>
/// and <see cref="TokenEndpoint"/> as TeamsOptions.OpenIdMetadataUrl / TokenEndpoint.
/// </summary>
public sealed class FakeBotFrameworkIssuer : IAsyncDisposable
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string DefaultTenantId = "7a1f3c2e-5b4d-4e6f-8a9b-0c1d2e3f4a5b";

    private readonly object _gate = new();
    private readonly List<RSA> _ownedKeys = [];
    private readonly List<(string Kid, RSA Rsa, string[]? Endorsements)> _published = [];
    private readonly (string Kid, RSA Rsa) _entraKey;
    private readonly (string Kid, RSA Rsa) _unpublishedKey;
    private readonly (string Kid, RSA Rsa) _notEndorsedKey;
    private readonly (string Kid, RSA Rsa) _bareKey;
    private readonly string[] _endorsements;
    private (string Kid, RSA Rsa) _current;
    private WebApplication? _app;
    private int _metadataRequests;
    private int _keysRequests;

    /// <param name="endorsements">Channel ids the published Bot Framework keys are endorsed for; default ["msteams"].</param>
    public FakeBotFrameworkIssuer(string tenantId = DefaultTenantId, IReadOnlyList<string>? endorsements = null)
    {
        TenantId = tenantId;
        _endorsements = [.. endorsements ?? ["msteams"]];
        _current = NewKey("bf");
        _published.Add((_current.Kid, _current.Rsa, _endorsements));
        _notEndorsedKey = NewKey("bf-skype");
        _published.Add((_notEndorsedKey.Kid, _notEndorsedKey.Rsa, ["skype"]));
        _bareKey = NewKey("bf-bare");
        _published.Add((_bareKey.Kid, _bareKey.Rsa, null));
        _entraKey = NewKey("entra");
        _unpublishedKey = NewKey("rogue");
    }

    /// <summary>The Entra tenant whose metadata this fake serves.</summary>
    public string TenantId { get; }

    /// <summary>The <c>issuer</c> property of the published Entra key, e.g. "https://login.microsoftonline.com/{tenantid}/v2.0"; default none.</summary>
    public string? EntraKeyIssuer { get; init; }

    /// <summary>e.g. http://127.0.0.1:PORT/ (ends in '/'): pass as TeamsOptions.TokenEndpoint.</summary>
    public string TokenEndpoint { get; private set; } = "";

    /// <summary>http://127.0.0.1:PORT/v1/.well-known/openidconfiguration</summary>
    public string OpenIdMetadataUrl => TokenEndpoint + "v1/.well-known/openidconfiguration";

    /// <summary>https://login.microsoftonline.com/{tenant}/v2.0</summary>
    public string EntraIssuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";

    /// <summary>https://sts.windows.net/{tenant}/ (v1 tokens)</summary>
    public string EntraV1Issuer => $"https://sts.windows.net/{TenantId}/";

    /// <summary>kid of the key that signs Bot Framework tokens now.</summary>
    public string CurrentKeyId
    {
        get
        {
            lock (_gate)
            {
                return _current.Kid;
            }
        }
    }

    /// <summary>How many times the Bot Framework OpenID metadata was fetched.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>How many times the Bot Framework JWKS was fetched.</summary>
    public int KeysRequests => Volatile.Read(ref _keysRequests);

    public async Task StartAsync()
    {
        (_app, var origin) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/v1/.well-known/openidconfiguration", () =>
            {
                Interlocked.Increment(ref _metadataRequests);
                return Json(Metadata(BotFrameworkIssuer, TokenEndpoint + "v1/.well-known/keys"));
            });
            app.MapGet("/v1/.well-known/keys", () =>
            {
                Interlocked.Increment(ref _keysRequests);
                lock (_gate)
                {
                    return Json(KeySet(_published));
                }
            });
            app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
                tenant == TenantId ? Json(Metadata(EntraIssuer, $"{TokenEndpoint}{TenantId}/discovery/v2.0/keys")) : Results.NotFound());
            app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant) =>
                tenant == TenantId ? Json(KeySet([(_entraKey.Kid, _entraKey.Rsa, null)], EntraKeyIssuer)) : Results.NotFound());
        });
        TokenEndpoint = origin + "/";
    }

    /// <summary>Publishes a new endorsed key and signs later Bot Framework tokens with it; returns its kid.</summary>
    public string RotateKey()
    {
        var key = NewKey("bf");
        lock (_gate)
        {
            _published.Add((key.Kid, key.Rsa, _endorsements));
            _current = key;
        }

        return key.Kid;
    }

    /// <summary>A token as the Bot Connector (or, with an Entra issuer, the tenant) would send it, altered by <paramref name="tweaks"/>.</summary>
    public string CreateToken(string audience, string serviceUrl, DateTimeOffset now, FakeTokenOptions? tweaks = null)
    {
        tweaks ??= new FakeTokenOptions();
        var issuer = tweaks.Issuer ?? BotFrameworkIssuer;
        var isEntra = issuer != BotFrameworkIssuer && (issuer.Contains("login.microsoftonline.com", StringComparison.Ordinal) || issuer.Contains("sts.windows.net", StringComparison.Ordinal));
        var (kid, rsa) = SigningKey(tweaks.Key, isEntra);
        kid = tweaks.KeyId ?? kid;

        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (!tweaks.OmitServiceUrl)
        {
            claims["serviceurl"] = serviceUrl;
        }

        if ((tweaks.TenantId ?? (isEntra ? TenantId : null)) is { } tid)
        {
            claims["tid"] = tid;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = (tweaks.NotBefore ?? now).UtcDateTime,
            Expires = (tweaks.Expires ?? now.AddHours(1)).UtcDateTime,
            Claims = claims,
        };

        switch (tweaks.Algorithm)
        {
            case FakeTokenAlgorithm.None:
                descriptor.SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256);
                var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"JWT","kid":"{{kid}}"}""");
                return $"{header}.{Handler.CreateToken(descriptor).Split('.')[1]}.";
            case FakeTokenAlgorithm.HS256WithPublicKey:
                var secret = new SymmetricSecurityKey(Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())) { KeyId = kid };
                descriptor.SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256);
                return Handler.CreateToken(descriptor);
            default:
                descriptor.SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256);
                return Handler.CreateToken(descriptor);
        }
    }

    private static JsonWebTokenHandler Handler => new() { SetDefaultTimesOnTokenCreation = false };

    private (string Kid, RSA Rsa) SigningKey(FakeSigningKey key, bool isEntra)
    {
        lock (_gate)
        {
            return key switch
            {
                FakeSigningKey.Default => isEntra ? _entraKey : _current,
                FakeSigningKey.BotFramework => _current,
                FakeSigningKey.NotEndorsed => _notEndorsedKey,
                FakeSigningKey.NoEndorsements => _bareKey,
                FakeSigningKey.Entra => _entraKey,
                FakeSigningKey.Unpublished => _unpublishedKey,
                _ => throw new ArgumentOutOfRangeException(nameof(key)),
            };
        }
    }

    private (string Kid, RSA Rsa) NewKey(string prefix)
    {
        var rsa = RSA.Create(2048);
        lock (_gate)
        {
            _ownedKeys.Add(rsa);
        }

        return ($"{prefix}-{Guid.NewGuid():N}", rsa);
    }

    private static JsonObject Metadata(string issuer, string jwksUri) => new()
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = "https://invalid.example/oauth2/authorize",
        ["jwks_uri"] = jwksUri,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
    };

    private static JsonObject KeySet(IEnumerable<(string Kid, RSA Rsa, string[]? Endorsements)> keys, string? issuer = null)
    {
        var array = new JsonArray();
        foreach (var (kid, rsa, endorsements) in keys)
        {
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = kid,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            };
            if (endorsements is not null)
            {
                jwk["endorsements"] = new JsonArray([.. endorsements.Select(e => JsonValue.Create(e))]);
            }

            if (issuer is not null)
            {
                jwk["issuer"] = issuer;
            }

            array.Add(jwk);
        }

        return new JsonObject { ["keys"] = array };
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        lock (_gate)
        {
            foreach (var rsa in _ownedKeys)
            {
                rsa.Dispose();
            }

            _ownedKeys.Clear();
        }
    }
}
