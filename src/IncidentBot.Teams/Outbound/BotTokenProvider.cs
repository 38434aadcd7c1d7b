using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace IncidentBot.Teams.Outbound;

/// <summary>
/// App-only tokens for the Bot Connector and Microsoft Graph, by client credentials with MSAL. One
/// long-lived MSAL application per process, so its in-memory cache serves a token until shortly before it
/// expires (MSAL refreshes five minutes early) and each scope is fetched once.
/// </summary>
public sealed class BotTokenProvider : IDisposable
{
    public const string BotConnectorScope = "https://api.botframework.com/.default";
    public const string GraphScope = "https://graph.microsoft.com/.default";

    private readonly Lazy<(IConfidentialClientApplication App, AuthorityRedirectHttpClientFactory Http)> _client;
    private readonly ILogger<BotTokenProvider> _logger;
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly bool _anonymousLoopback;

    /// <summary>Builds nothing yet: a host without Teams configured can still resolve it; the first token request checks the keys.</summary>
    public BotTokenProvider(IOptions<TeamsOptions> options, ILogger<BotTokenProvider> logger)
    {
        _logger = logger;

        // Development with a local stand-in (the Agents Playground): no credentials, and its mock connector takes anonymous calls.
        _anonymousLoopback = options.Value.AllowUnauthenticatedLoopback && string.IsNullOrWhiteSpace(options.Value.AppPassword);
        _client = new(() => Build(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private static (IConfidentialClientApplication, AuthorityRedirectHttpClientFactory) Build(TeamsOptions options)
    {
        var appId = Required(options.AppId, "AppId");
        var secret = Required(options.AppPassword, "AppPassword");
        var (authority, redirectTo) = Authority(options.TokenEndpoint, Required(options.TenantId, "TenantId"));
        var http = new AuthorityRedirectHttpClientFactory(redirectTo);
        var app = ConfidentialClientApplicationBuilder
            .Create(appId)
            .WithClientSecret(secret)
            .WithAuthority(authority)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(http)
            .Build();
        return (app, http);
    }

    /// <summary>
    /// Where MSAL should think the authority is, and where its requests really go. MSAL only accepts https
    /// authorities; a plain-http endpoint (a loopback fake in tests) keeps Microsoft's authority for MSAL
    /// and has the HTTP handler send the requests to the configured endpoint instead.
    /// </summary>
    internal static (string Authority, Uri? RedirectTo) Authority(string tokenEndpoint, string tenant)
    {
        var endpoint = new Uri(TeamsHttp.WithTrailingSlash(tokenEndpoint), UriKind.Absolute);
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            return (endpoint.AbsoluteUri + Uri.EscapeDataString(tenant), null);
        }

        if (endpoint.Scheme != Uri.UriSchemeHttp || !endpoint.IsLoopback)
        {
            // The client secret would travel in clear text.
            throw new InvalidOperationException($"{TeamsOptions.Section}:TokenEndpoint must be an https URL (plain http only on loopback).");
        }

        return (TeamsOptions.DefaultTokenEndpoint + Uri.EscapeDataString(tenant), endpoint);
    }

    /// <summary>True when a call to <paramref name="target"/> goes without a token: Development, no app password, a loopback address.</summary>
    public bool IsAnonymous(Uri? target) => _anonymousLoopback && target is { IsAbsoluteUri: true, IsLoopback: true };

    /// <summary>A bearer token for <paramref name="scope"/>; <paramref name="forceRefresh"/> skips the cache (after a 401).</summary>
    public async Task<string> GetTokenAsync(string scope, bool forceRefresh, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A token the service refused is never served from the cache again.
            forceRefresh |= _rejected.Remove(scope);
        }

        IConfidentialClientApplication app;
        try
        {
            app = _client.Value.App;
        }
        catch (InvalidOperationException e)
        {
            // Missing credentials will not appear by retrying: permanent, naming the key.
            throw new TeamsApiException("token", 401, "not_configured", detail: e.Message);
        }

        try
        {
            var result = await app.AcquireTokenForClient([scope]).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken);
            if (result.AuthenticationResultMetadata.TokenSource != TokenSource.Cache)
            {
                OutboundLog.TokenAcquired(_logger, scope, result.ExpiresOn);
            }

            return result.AccessToken;
        }
        catch (MsalServiceException e)
        {
            OutboundLog.TokenFailed(_logger, scope, e.StatusCode, e.ErrorCode);
            var retryAfter = e.Headers?.RetryAfter?.Delta;
            throw new TeamsApiException("token", e.StatusCode, e.ErrorCode, retryAfter);
        }
        catch (MsalClientException e)
        {
            // Network trouble reaching the authority (MSAL wraps it); the dispatcher retries.
            OutboundLog.TokenFailed(_logger, scope, 0, e.ErrorCode);
            throw new TeamsApiException("token", 0, e.ErrorCode);
        }
    }

    /// <summary>The service answered 401 to a token of this scope: the next call fetches a new one.</summary>
    public void TokenRejected(string scope, string operation)
    {
        OutboundLog.TokenRejected(_logger, operation, scope);
        lock (_gate)
        {
            _rejected.Add(scope);
        }
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Http.Dispose();
        }
    }

    private static string Required(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"{TeamsOptions.Section}:{key} must be set to send to Teams.") : value;
}

/// <summary>
/// The one HttpClient MSAL uses. With a redirect target, requests for Microsoft's authority host go there
/// instead (same path and query), so tests can run the token endpoint on loopback.
/// </summary>
internal sealed class AuthorityRedirectHttpClientFactory : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient _http;

    public AuthorityRedirectHttpClientFactory(Uri? redirectTo)
    {
        HttpMessageHandler handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (redirectTo is not null)
        {
            handler = new RedirectHandler(redirectTo) { InnerHandler = handler };
        }

        _http = new HttpClient(handler);
    }

    public HttpClient GetHttpClient() => _http;

    public void Dispose() => _http.Dispose();

    private sealed class RedirectHandler(Uri target) : DelegatingHandler
    {
        private static readonly string AuthorityHost = new Uri(TeamsOptions.DefaultTokenEndpoint).Host;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && string.Equals(uri.Host, AuthorityHost, StringComparison.OrdinalIgnoreCase))
            {
                request.RequestUri = new Uri(target, uri.PathAndQuery.TrimStart('/'));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
