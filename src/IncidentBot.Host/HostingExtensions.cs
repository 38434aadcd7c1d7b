using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Configuration;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Reminders;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.SocketMode;
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
            MirrorsFollowUps = Trackers.TrackerExtensions.MirrorsFollowUps(builder.Configuration),
        });
        return builder;
    }

    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DispatcherSettings>().BindConfiguration(DispatcherSettings.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DispatcherSettings>, DispatcherSettingsValidator>();
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DispatcherSettings>>().Value);
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService<OutboxDispatcherService>();
        builder.Services.AddSingleton<ReminderScheduler>();
        builder.Services.AddHostedService<ReminderSchedulerService>();
        builder.Services.AddOptions<FollowUps.FollowUpOptions>().BindConfiguration(FollowUps.FollowUpOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FollowUps.FollowUpOptions>, FollowUps.FollowUpOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<FollowUps.FollowUpOptions>>().Value);
        builder.Services.AddSingleton<FollowUps.FollowUpScheduler>();
        builder.Services.AddSingleton<FollowUps.FollowUpDigestScheduler>();
        builder.Services.AddHostedService<FollowUps.FollowUpSchedulerService>();
        builder.Services.AddSingleton<Archive.ChannelArchiveScheduler>();
        builder.Services.AddHostedService<Archive.ChannelArchiveSchedulerService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        // Socket Mode's state is detail, never a failure: HTTP and the outbox work without it.
        app.MapGet("/readyz", async Task<IResult> (IIncidentStore store, TimeProvider clock, IOptions<SlackOptions> slack, SocketModeStatus socketMode, CancellationToken ct) =>
            await PingWithinAsync(store, clock, ct)
                ? TypedResults.Ok(new { status = "ready", slackSocketMode = slack.Value.IsSocketModeEnabled ? socketMode.Snapshot() : new { state = "off" } })
                : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The store is not reachable."));
        return app;
    }

    /// <summary>Readiness answers within two seconds even when the database hangs.</summary>
    private static async Task<bool> PingWithinAsync(IIncidentStore store, TimeProvider clock, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
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
