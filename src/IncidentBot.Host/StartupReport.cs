using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Configuration;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Reminders;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Teams.Configuration;
using Npgsql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host;

/// <summary>Says at start which platforms are on and which are off, and why.</summary>
internal sealed class StartupReport(IConfiguration configuration, IOptions<ApiOptions> api, IOptions<TeamsOptions> teams, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Report("Slack", "IncidentBot:Slack:SigningSecret");
        Report("Teams", "IncidentBot:Teams:AppId");
        if (teams.Value.AllowUnauthenticatedLoopback)
        {
            Log.TeamsLoopbackOpen(logger);
        }
        if (api.Value.Keys.Count == 0)
        {
            Log.ApiOff(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
