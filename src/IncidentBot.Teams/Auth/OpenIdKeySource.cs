using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Teams.Auth;

/// <summary>The signing keys of one issuer as of one fetch, with each key's channel endorsements and issuer.</summary>
/// <param name="IssuerByKeyId">kid -> the key's non-standard <c>issuer</c> property (Entra keys; may hold the <c>{tenantid}</c> template).</param>
internal sealed record SigningKeySet(
    IReadOnlyList<SecurityKey> Keys,
    IReadOnlyDictionary<string, IReadOnlySet<string>> EndorsementsByKeyId,
    IReadOnlyDictionary<string, string> IssuerByKeyId)
{
    public bool Contains(string keyId) => Keys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
}

/// <summary>
/// One issuer's OpenID metadata and JWKS, fetched on first use and again every <see cref="RefreshInterval"/>
/// (Microsoft asks for at least once a day), or sooner when a token names an unknown key id, at most once per
/// <see cref="MinimumForcedRefreshInterval"/>. Timed by the injected clock, which ConfigurationManager cannot be.
/// </summary>
internal sealed class OpenIdKeySource(Uri metadataUrl, HttpClient httpClient, TimeProvider timeProvider, ILogger logger) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(12);
    public static readonly TimeSpan MinimumForcedRefreshInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);

    // Replaced whole (never mutated) so the lock-free fast path reads a consistent snapshot.
    private volatile CacheState _state = new(null, DateTimeOffset.MinValue, DateTimeOffset.MinValue);

    /// <summary>The cached keys, fetched first when stale or when <paramref name="wantedKeyId"/> is unknown; null if never fetched.</summary>
    public async Task<SigningKeySet?> GetAsync(string? wantedKeyId, CancellationToken cancellationToken)
    {
        var state = _state;
        if (!state.NeedsFetch(wantedKeyId, timeProvider.GetUtcNow()))
        {
            return state.Keys;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = timeProvider.GetUtcNow();
            state = _state;
            if (!state.NeedsFetch(wantedKeyId, now))
            {
                return state.Keys;
            }

            try
            {
                var keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _state = new CacheState(keys, now, now);
                AuthLog.KeysFetched(logger, metadataUrl, keys.Keys.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A failed refresh keeps the last good keys; the next attempt waits RetryAfterFailure.
                _state = state with { LastAttempt = now };
                AuthLog.KeysFetchFailed(logger, metadataUrl, ex.GetType().Name, state.Keys?.Keys.Count ?? 0, ex);
            }

            return _state.Keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<SigningKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        var metadataJson = await GetDocumentAsync(metadataUrl, cancellationToken).ConfigureAwait(false);
        var configuration = OpenIdConnectConfiguration.Create(metadataJson);
        if (!Uri.TryCreate(configuration.JwksUri, UriKind.Absolute, out var jwksUri))
        {
            throw new InvalidDataException("The OpenID metadata has no absolute jwks_uri.");
        }

        var jwksJson = await GetDocumentAsync(jwksUri, cancellationToken).ConfigureAwait(false);
        var keys = new JsonWebKeySet(jwksJson).GetSigningKeys();
        var (endorsements, issuers) = ReadKeyProperties(jwksJson);
        return new SigningKeySet([.. keys], endorsements, issuers);
    }

    private Task<string> GetDocumentAsync(Uri url, CancellationToken cancellationToken)
    {
        // Plain http only for loopback test issuers; every other address must be https.
        var retriever = new HttpDocumentRetriever(httpClient) { RequireHttps = !IsLoopbackHttp(url) };
        return retriever.GetDocumentAsync(url.AbsoluteUri, cancellationToken);
    }

    internal static bool IsLoopbackHttp(Uri url) =>
        url.Scheme == Uri.UriSchemeHttp && url.IsLoopback;

    /// <summary>
    /// Per kid, the channel ids in the key's non-standard <c>endorsements</c> array (Bot Framework keys) and the
    /// key's <c>issuer</c> string (Entra keys). Keys without them are absent from the maps.
    /// </summary>
    internal static (Dictionary<string, IReadOnlySet<string>> Endorsements, Dictionary<string, string> Issuers) ReadKeyProperties(string jwksJson)
    {
        var endorsementsByKid = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var issuerByKid = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwksJson);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return (endorsementsByKid, issuerByKid);
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("kid", out var kidElement) || kidElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var kid = kidElement.GetString()!;
            if (key.TryGetProperty("endorsements", out var endorsements) && endorsements.ValueKind == JsonValueKind.Array)
            {
                endorsementsByKid[kid] = endorsements.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString()!)
                    .ToHashSet(StringComparer.Ordinal);
            }

            // Like Microsoft's signing-key issuer validation, a key without a (string) issuer names no issuer.
            if (key.TryGetProperty("issuer", out var issuer) && issuer.ValueKind == JsonValueKind.String
                && issuer.GetString() is { Length: > 0 } issuerText)
            {
                issuerByKid[kid] = issuerText;
            }
        }

        return (endorsementsByKid, issuerByKid);
    }

    private sealed record CacheState(SigningKeySet? Keys, DateTimeOffset FetchedAt, DateTimeOffset LastAttempt)
    {
        public bool NeedsFetch(string? wantedKeyId, DateTimeOffset now)
        {
            var sinceAttempt = now - LastAttempt;
            if (Keys is null || now - FetchedAt >= RefreshInterval)
            {
                return sinceAttempt >= RetryAfterFailure;
            }

            return wantedKeyId is not null && !Keys.Contains(wantedKeyId) && sinceAttempt >= MinimumForcedRefreshInterval;
        }
    }
}
