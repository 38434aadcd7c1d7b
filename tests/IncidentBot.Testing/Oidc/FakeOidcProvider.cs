using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Testing.Oidc;

/// <summary>Who signs in at <see cref="FakeOidcProvider"/>: a Slack user (team claim) or an Entra user (tid claim).</summary>
public sealed record FakeOidcUser(string Subject, string Name, string? SlackTeamId = null, string? TenantId = null);

/// <summary>How the next id_token is spoiled, to check that the client refuses it.</summary>
public enum FakeIdTokenFlaw
{
    None,
    WrongSignature,
    WrongAudience,
    WrongIssuer,
    WrongNonce,
    Expired,
}

/// <summary>
/// A Sign in with Slack look-alike on 127.0.0.1 (its paths, its <c>ok</c> field, RS256 id_tokens with the
/// <c>https://slack.com/team_id</c> claim): discovery, authorize (answers at once with a code), token (checks the client
/// secret, the redirect URI and the PKCE verifier) and JWKS, after Slack's discovery document and openid.connect.token method.
/// </summary>
public sealed class FakeOidcProvider(string clientId, string clientSecret, TimeProvider clock) : IAsyncDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _rogue = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _authorizeRequests = new();
    private WebApplication? _app;
    private int _tokensIssued;

    /// <summary>http://127.0.0.1:PORT (no trailing slash): the issuer and the Authority to configure.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>Who the next sign-in is.</summary>
    public FakeOidcUser User { get; set; } = new("U0ADA", "Ada Lovelace", SlackTeamId: "T1");

    /// <summary>The flaw of the next id_tokens.</summary>
    public FakeIdTokenFlaw Flaw { get; set; }

    /// <summary>The query of every authorize request, oldest first.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> AuthorizeRequests => [.. _authorizeRequests];

    /// <summary>How many id_tokens the token endpoint handed out.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    public async Task StartAsync()
    {
        (_app, var origin) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Content(Discovery().ToJsonString(), "application/json"));
            app.MapGet("/openid/connect/keys", () => Results.Content(Keys().ToJsonString(), "application/json"));
            app.MapGet("/openid/connect/authorize", Authorize);
            app.MapPost("/api/openid.connect.token", TokenAsync);
        });
        Authority = origin;
    }

    private JsonObject Discovery() => new()
    {
        ["issuer"] = Authority,
        ["authorization_endpoint"] = $"{Authority}/openid/connect/authorize",
        ["token_endpoint"] = $"{Authority}/api/openid.connect.token",
        ["userinfo_endpoint"] = $"{Authority}/api/openid.connect.userInfo",
        ["jwks_uri"] = $"{Authority}/openid/connect/keys",
        ["scopes_supported"] = new JsonArray("openid", "profile", "email"),
        ["response_types_supported"] = new JsonArray("code"),
        ["response_modes_supported"] = new JsonArray("query"),
        ["grant_types_supported"] = new JsonArray("authorization_code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["claims_supported"] = new JsonArray("sub", "auth_time", "iss"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
    };

    private JsonObject Keys()
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = "fake-slack-1",
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            }),
        };
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        _authorizeRequests.Enqueue(query);
        if (query.GetValueOrDefault("client_id") != clientId || query.GetValueOrDefault("response_type") != "code"
            || query.GetValueOrDefault("redirect_uri") is not { Length: > 0 } redirect)
        {
            return Results.BadRequest("bad authorize request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _grants[code] = new Grant(redirect, query.GetValueOrDefault("nonce"), query.GetValueOrDefault("code_challenge"), User);
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirect}{separator}code={code}&state={Uri.EscapeDataString(query.GetValueOrDefault("state") ?? "")}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (id, secret) = ClientOf(request, form);
        // Slack's Web API answers HTTP 200 with ok:false, not RFC 6749's error format.
        IResult Error(string error) => Results.Json(new JsonObject { ["ok"] = false, ["error"] = error });
        if (id != clientId)
        {
            return Error("invalid_client_id");
        }

        if (secret != clientSecret)
        {
            return Error("bad_client_secret");
        }

        if (form["code"].ToString() is not { Length: > 0 } code || !_grants.TryRemove(code, out var grant))
        {
            return Error("invalid_code");
        }

        if (form["redirect_uri"].ToString() != grant.RedirectUri)
        {
            return Error("bad_redirect_uri");
        }

        if (grant.CodeChallenge is { } challenge
            && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != challenge)
        {
            return Error("invalid_code_verifier");
        }

        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new JsonObject
        {
            ["ok"] = true,
            ["access_token"] = "xoxp-fake-user-token",
            ["token_type"] = "Bearer",
            ["id_token"] = IdToken(grant),
        });
    }

    private static (string? Id, string? Secret) ClientOf(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private string IdToken(Grant grant)
    {
        var now = clock.GetUtcNow();
        var flaw = Flaw;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = grant.User.Subject,
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["name"] = grant.User.Name,
            ["email"] = $"{grant.User.Subject.ToLowerInvariant()}@example.com",
        };
        if (grant.Nonce is { } nonce)
        {
            claims["nonce"] = flaw == FakeIdTokenFlaw.WrongNonce ? "not-the-nonce-that-was-sent" : nonce;
        }

        if (grant.User.SlackTeamId is { } team)
        {
            claims["https://slack.com/team_id"] = team;
            claims["https://slack.com/user_id"] = grant.User.Subject;
        }

        if (grant.User.TenantId is { } tenant)
        {
            claims["tid"] = tenant;
        }

        var issued = flaw == FakeIdTokenFlaw.Expired ? now.AddHours(-2) : now;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = flaw == FakeIdTokenFlaw.WrongIssuer ? "https://issuer.example.com" : Authority,
            Audience = flaw == FakeIdTokenFlaw.WrongAudience ? "someone-elses-client" : clientId,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            // Slack's id_tokens live five minutes.
            Expires = issued.AddMinutes(5).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(
                new RsaSecurityKey(flaw == FakeIdTokenFlaw.WrongSignature ? _rogue : _key) { KeyId = "fake-slack-1" }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Dispose();
        _rogue.Dispose();
    }

    private sealed record Grant(string RedirectUri, string? Nonce, string? CodeChallenge, FakeOidcUser User);
}
