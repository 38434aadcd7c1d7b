using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Configuration;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Reminders;
using IncidentBot.Storage;
using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host;

/// <summary>The host's parts, each an Add/Map pair so Program.cs reads as a table of contents.</summary>
internal static class HostingExtensions
{
    public const string DefaultUrl = "http://localhost:3978";

    public static WebApplicationBuilder AddDefaultUrl(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    public static WebApplicationBuilder AddIncidentBotOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<RemindersOptions>().BindConfiguration(RemindersOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<RemindersOptions>, RemindersOptionsValidator>();
        builder.Services.AddOptions<PostmortemOptions>().BindConfiguration(PostmortemOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PostmortemOptions>, PostmortemOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplicationBuilder AddStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IIncidentStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clock = sp.GetRequiredService<TimeProvider>();
            return StoreProviders.Create(options.EffectiveProvider, options.EffectiveConnectionString, clock);
        });

        // Registered before every other hosted service so the schema exists before anything reads it.
        builder.Services.AddHostedService<StoreMigrationService>();
        return builder;
    }

    /// <summary>
    /// Opens the store before the host starts: an embedded file another process holds then fails in
    /// <c>Program</c> with one line naming the file, not as a hosting failure with a stack trace.
    /// </summary>
    public static WebApplication OpenStore(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<IIncidentStore>();
        return app;
    }

    public static WebApplicationBuilder AddIncidentService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<IOutboxObserver, OutboxSignalObserver>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<RemindersOptions>>().Value.ToPolicy());
        builder.Services.AddSingleton(sp => new IncidentService(
            sp.GetRequiredService<IIncidentStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ReminderPolicy>(),
            sp.GetServices<PlatformSettings>(),
            sp.GetRequiredService<IOutboxObserver>())
        {
            DefaultTimeZone = TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<IOptions<PostmortemOptions>>().Value.TimeZone),
        });
        return builder;
    }

    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(new DispatcherSettings());
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService<OutboxDispatcherService>();
        builder.Services.AddSingleton<ReminderScheduler>();
        builder.Services.AddHostedService<ReminderSchedulerService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        app.MapGet("/readyz", async Task<IResult> (IIncidentStore store, CancellationToken ct) =>
            await PingWithinAsync(store, ct)
                ? TypedResults.Ok(new { status = "ready" })
                : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The store is not reachable."));
        return app;
    }

    /// <summary>Readiness answers within two seconds even when the database hangs.</summary>
    private static async Task<bool> PingWithinAsync(IIncidentStore store, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await store.PingAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Applies the schema migrations at start, before anything else runs.</summary>
internal sealed class StoreMigrationService(IIncidentStore store, IOptions<StorageOptions> options, ILogger<StoreMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await StoreProviders.MigrateAsync(store, cancellationToken);
        Log.StorageReady(logger, options.Value.EffectiveProvider, StoreProviders.Location(store, options.Value.EffectiveConnectionString));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

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
