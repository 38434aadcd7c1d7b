using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Host.Web;

namespace IncidentBot.Host.Sandbox;

/// <summary>Registers and maps the sandbox platform: <c>AddSandbox</c> / <c>MapSandbox</c>.</summary>
internal static class SandboxExtensions
{
    /// <summary>
    /// On when <c>IncidentBot:Sandbox:Enabled</c> is true and the web view is served (with sign-in, or to loopback in
    /// Development): the sandbox never answers where the web view would not.
    /// </summary>
    public static bool IsOn(IConfiguration configuration)
    {
        var sandbox = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        var web = configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        return sandbox.Enabled && web.IsEnabled;
    }

    /// <summary>Like Slack's channels: declare opens a conversation per incident and announces in the announcements.</summary>
    public static PlatformSettings Settings { get; } = new(SandboxPlatformName.Value, SandboxPlatformName.AnnouncementConversation, [])
    {
        ConversationLinkTemplate = "/sandbox/c/{conversation}",

        // Practice in the bot's own pages: every sandbox incident is a drill.
        DrillsOnly = true,
    };

    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        if (!IsOn(builder.Configuration))
        {
            return builder;
        }

        builder.Services.AddSingleton(Settings);
        builder.Services.AddSingleton<SandboxFeed>();
        builder.Services.AddSingleton<IChatPlatform, SandboxChatPlatform>();
        return builder;
    }

    /// <summary>Maps /sandbox behind the web view's policy; when the sandbox is off nothing is mapped and it answers 404.</summary>
    public static WebApplication MapSandbox(this WebApplication app)
    {
        if (IsOn(app.Configuration))
        {
            app.MapGroup("/sandbox").RequireAuthorization(WebExtensions.ReaderPolicy).MapSandboxRoutes();
        }

        return app;
    }
}
