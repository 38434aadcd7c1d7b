using IncidentBot.Slack.Configuration;
using IncidentBot.Teams.Configuration;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Web;

/// <summary>The web view: server-rendered pages behind OpenID Connect sign-in, read-only.</summary>
internal static class WebExtensions
{
    public const string ReaderPolicy = "WebReader";
    public const string CookieName = "IncidentBot.Web";
    public const string StylesheetPath = "/web.css";

    public static WebApplicationBuilder AddWebView(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        var options = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        if (!options.IsEnabled)
        {
            return builder;
        }

        builder.Services.AddSingleton<MarkdownRenderer>();
        builder.Services.AddSingleton<InsightsCache>();
        builder.Services.AddSingleton<WorkspaceAccess>();
        builder.Services.AddSingleton<IAuthorizationHandler, WebReaderHandler>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, p => p.AddRequirements(new WebReaderRequirement()));
        builder.Services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Web/Pages";
            pages.Conventions.AuthorizeFolder("/", ReaderPolicy);
            pages.Conventions.AllowAnonymousToPage("/Denied");
            pages.Conventions.AllowAnonymousToPage("/SignOut");
        });

        var authentication = builder.Services.AddAuthentication(a =>
        {
            a.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            a.DefaultChallengeScheme = options.IsOidcConfigured ? OpenIdConnectDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme;
        });
        var development = builder.Environment.IsDevelopment();
        authentication.AddCookie(cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = WebOptions.SessionLifetime;
            cookie.SlidingExpiration = true;
            // Without a provider there is nowhere to sign in: a request that is not let in is told so.
            cookie.LoginPath = "/denied";
            cookie.AccessDeniedPath = "/denied";
        });
        if (options.IsOidcConfigured)
        {
            authentication.AddOpenIdConnect(oidc => OidcSignIn.Configure(oidc, options, development));
        }

        return builder;
    }

    public static WebApplication MapWebView(this WebApplication app)
    {
        // Headers for every response: the web view's pages and whatever else the host answers.
        app.Use(SecurityHeaders.ApplyAsync);
        if (!app.Services.GetRequiredService<IOptions<WebOptions>>().Value.IsEnabled)
        {
            return app;
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(StylesheetPath, Stylesheet.Serve).AllowAnonymous();
        app.MapRazorPages();
        var downloads = app.MapGroup("/incidents/{number:int}").RequireAuthorization(ReaderPolicy);
        downloads.MapGet("/postmortem.md", PostmortemDownloads.MarkdownAsync);
        downloads.MapGet("/postmortem.json", PostmortemDownloads.JsonAsync);
        return app;
    }

    /// <summary>Whether the Slack and Teams settings name who may sign in (used by the start-up report).</summary>
    internal static string Audience(SlackOptions slack, TeamsOptions teams) =>
        $"Slack workspaces {(slack.AllowedTeamIds.Count == 0 ? "with incidents in the store" : string.Join(", ", slack.AllowedTeamIds))}; Entra tenant {teams.TenantId ?? "none (IncidentBot:Teams:TenantId is not set)"}";
}
