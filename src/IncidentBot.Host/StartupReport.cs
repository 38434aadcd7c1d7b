using IncidentBot.Host.Alerts;
using IncidentBot.Host.Configuration;
using IncidentBot.Slack.Configuration;
using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host;

/// <summary>Says at start which platforms are on and which are off, and why.</summary>
internal sealed class StartupReport(IConfiguration configuration, IOptions<ApiOptions> api, IOptions<AlertsOptions> alerts, IOptions<SlackOptions> slack, IOptions<TeamsOptions> teams, IOptions<Web.WebOptions> web, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ReportSlack();
        Report("Teams", "IncidentBot:Teams:AppId");
        if (teams.Value.AllowUnauthenticatedLoopback)
        {
            Log.TeamsLoopbackOpen(logger);
        }
        if (api.Value.Keys.Count == 0)
        {
            Log.ApiOff(logger);
        }

        if (alerts.Value.IsEnabled)
        {
            Log.AlertsOn(logger, alerts.Value.Routes.Count);
        }
        else
        {
            Log.AlertsOff(logger);
        }

        ReportWeb();
        ReportSandbox();

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void ReportWeb()
    {
        var options = web.Value;
        if (options.IsOidcConfigured)
        {
            Log.WebOn(logger, options.Oidc.Authority!, Web.WebExtensions.Audience(slack.Value, teams.Value));
        }
        else if (!options.AllowAnonymousLoopback)
        {
            Log.WebOff(logger);
        }

        if (options.AllowAnonymousLoopback)
        {
            Log.WebLoopbackOpen(logger, options.PublicBaseUrl ?? HostingExtensions.DefaultUrl + "/");
        }
    }

    private void ReportSandbox()
    {
        if (Sandbox.SandboxExtensions.IsOn(configuration))
        {
            Log.SandboxOn(logger, (web.Value.PublicBaseUrl?.TrimEnd('/') ?? HostingExtensions.DefaultUrl) + "/sandbox");
        }
        else
        {
            Log.SandboxOff(logger, configuration.GetValue<bool>($"{Sandbox.SandboxOptions.Section}:Enabled")
                ? "the web view is off: it needs IncidentBot:Web:Oidc, or IncidentBot:Web:AllowAnonymousLoopback in Development"
                : $"{Sandbox.SandboxOptions.Section}:Enabled is not true");
        }
    }

    private void ReportSlack()
    {
        var options = slack.Value;
        if (!options.IsHttpEnabled && !options.IsSocketModeEnabled)
        {
            Log.PlatformOff(logger, "Slack", "IncidentBot:Slack:SigningSecret is not set, so its routes answer 404, and IncidentBot:Slack:AppToken is not set, so Socket Mode is off");
            return;
        }

        Log.PlatformOn(logger, "Slack");
        Log.SlackTransports(logger,
            options.IsHttpEnabled ? "on (IncidentBot:Slack:SigningSecret is set)" : "off (IncidentBot:Slack:SigningSecret is not set, so /slack/* answers 404)",
            options.IsSocketModeEnabled ? $"on (IncidentBot:Slack:AppToken is set; {options.SocketConnections} connection(s))" : "off (IncidentBot:Slack:AppToken is not set)");
    }

    private void Report(string platform, string key)
    {
        if (string.IsNullOrWhiteSpace(configuration[key]))
        {
            Log.PlatformOff(logger, platform, $"{key} is not set, so its routes answer 404");
        }
        else
        {
            Log.PlatformOn(logger, platform);
        }
    }
}
