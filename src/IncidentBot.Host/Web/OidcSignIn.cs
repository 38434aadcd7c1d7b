using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IncidentBot.Host.Web;

/// <summary>
/// The OpenID Connect client: authorization code with PKCE, the answer in the query string (Slack's OIDC supports
/// nothing else), and only people of the bot's workspace or tenant let in.
/// </summary>
internal static class OidcSignIn
{
    public const string CallbackPath = "/signin-oidc";

    public static void Configure(OpenIdConnectOptions oidc, WebOptions options, bool development)
    {
        oidc.Authority = options.Oidc.Authority;
        oidc.ClientId = options.Oidc.ClientId;
        oidc.ClientSecret = options.Oidc.ClientSecret;
        oidc.RequireHttpsMetadata = options.Oidc.RequireHttpsMetadata;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        oidc.Scope.Add("openid");
        oidc.Scope.Add("profile");
        oidc.Scope.Add("email");
        oidc.CallbackPath = CallbackPath;
        // Keep the provider's claim names (https://slack.com/team_id, tid): they are what the workspace check reads.
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.SaveTokens = false;
        oidc.TokenValidationParameters.NameClaimType = "name";

        // The answer comes back as a top-level GET: Lax cookies travel with it, and need no Secure on http loopback.
        var secure = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = secure;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = secure;

        oidc.Events.OnRedirectToIdentityProvider = context =>
        {
            if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl))
            {
                context.ProtocolMessage.RedirectUri = options.PublicBaseUrl.TrimEnd('/') + CallbackPath;
            }

            return Task.CompletedTask;
        };
        oidc.Events.OnTokenValidated = OnTokenValidatedAsync;
        oidc.Events.OnRemoteFailure = context =>
        {
            // A forged, expired or misdirected token, a provider error: no session, a clear page.
            context.Response.Redirect("/denied?why=signin");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var access = context.HttpContext.RequestServices.GetRequiredService<WorkspaceAccess>();
        var workspace = context.Principal is { } principal ? await access.AdmitAsync(principal, context.HttpContext.RequestAborted) : null;
        if (workspace is null)
        {
            context.Response.Redirect("/denied?why=workspace");
            context.HandleResponse();
            return;
        }

        context.Principal!.AddIdentity(new ClaimsIdentity([new Claim(WorkspaceAccess.AdmittedClaim, workspace)]));
    }
}
