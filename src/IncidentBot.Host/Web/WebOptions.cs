namespace IncidentBot.Host.Web;

/// <summary>Section <c>IncidentBot:Web</c>: the web view and its OpenID Connect sign-in.</summary>
public sealed class WebOptions
{
    public const string Section = "IncidentBot:Web";

    /// <summary>How long a sign-in lasts without a request; every request slides it on.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    /// <summary>The OpenID Connect provider (Sign in with Slack, Microsoft Entra ID, ...).</summary>
    public WebOidcOptions Oidc { get; set; } = new();

    /// <summary>The address people reach the bot at (e.g. https://incidents.example.com); the sign-in redirect is built from it.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Development only: requests from this machine's loopback addresses see the web view without signing in.</summary>
    public bool AllowAnonymousLoopback { get; set; }

    /// <summary>Sign-in is configured: the provider and the client are named.</summary>
    public bool IsOidcConfigured => !string.IsNullOrWhiteSpace(Oidc.Authority) && !string.IsNullOrWhiteSpace(Oidc.ClientId);

    /// <summary>The web view is served: with sign-in, or to loopback in Development.</summary>
    public bool IsEnabled => IsOidcConfigured || AllowAnonymousLoopback;
}

/// <summary>Section <c>IncidentBot:Web:Oidc</c>.</summary>
public sealed class WebOidcOptions
{
    /// <summary>The issuer whose <c>/.well-known/openid-configuration</c> describes the provider, e.g. https://slack.com.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>From the environment (<c>IncidentBot__Web__Oidc__ClientSecret</c>), never committed.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>False lets tests use a provider on http loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
