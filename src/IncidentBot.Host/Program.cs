using IncidentBot.Host;
using IncidentBot.Host.Alerts;
using IncidentBot.Host.Api;
using IncidentBot.Host.Metrics;
using IncidentBot.Host.Sandbox;
using IncidentBot.Host.Trackers;
using IncidentBot.Host.Web;
using IncidentBot.Slack;
using IncidentBot.Teams;
using Microsoft.Extensions.Options;

if (args is ["probe", var probeUrl])
{
    // The container health check: the runtime image has no curl or wget.
    return await HealthProbe.RunAsync(probeUrl);
}

if (args is ["teams-package", .. var packageArgs])
{
    // Builds the Teams app package (manifest/teams with this deployment's app id) and exits: no web host.
    var packageConfiguration = new ConfigurationBuilder()
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(packageArgs.Skip(1).ToArray())
        .Build();
    return IncidentBot.Teams.Manifest.TeamsAppPackage.Run(packageArgs, packageConfiguration, Console.Out, Console.Error);
}

if (args is ["migrate-store", .. var migrateArgs])
{
    // Copies one store into another (the bot stopped) and exits: no web host.
    return await IncidentBot.Host.Configuration.StoreCommands.MigrateAsync(migrateArgs, Console.Out, Console.Error);
}

if (args is ["backup", var backupPath, .. var backupArgs])
{
    // A consistent copy of the configured embedded store, then exits.
    var backupConfiguration = new ConfigurationBuilder()
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(backupArgs)
        .Build();
    return await IncidentBot.Host.Configuration.StoreCommands.BackupAsync(backupPath, backupConfiguration, Console.Out, Console.Error);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddDefaultUrl();
    builder.AddIncidentBotOptions();
    builder.AddStore();
    builder.AddIncidentService();
    builder.AddDelivery();
    builder.AddMetrics();
    builder.AddAlerts();
    builder.AddTrackers();
    builder.Services.AddSlack();
    builder.Services.AddTeams();
    builder.AddWebView();
    builder.AddSandbox();
    builder.Services.AddHostedService<StartupReport>();

    var app = builder.Build();
    app.OpenStore();

    // Builds the command table now: a command type without its handler stops start-up here, not at its first use.
    app.Services.GetRequiredService<IncidentBot.Core.Service.IncidentService>();
    app.MapWebView();
    app.MapSandbox();
    app.MapMetrics();
    app.MapHealth();
    app.MapIncidentApi();
    app.MapFollowUpApi();
    app.MapStoreApi();
    app.MapAlerts();
    app.MapTrackers();
    app.MapSlack();
    app.MapTeams();

    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // One clear line naming the key, not a stack trace.
    await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", e.Failures)}");
    return 2;
}
catch (IncidentBot.Storage.LiteDb.LiteDbFileInUseException e)
{
    // A second bot on the same LiteDB file: one line naming the file, before anything was written.
    await Console.Error.WriteLineAsync($"Storage error: {e.Message}");
    return 3;
}

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
