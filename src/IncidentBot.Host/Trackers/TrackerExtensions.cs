using IncidentBot.Core.Ports;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Trackers;

/// <summary>Registers the issue tracker (<c>IncidentBot:FollowUps:Tracker</c>) and maps its webhook.</summary>
internal static class TrackerExtensions
{
    public static WebApplicationBuilder AddTrackers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrackerOptions>().BindConfiguration(TrackerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrackerOptions>, TrackerOptionsValidator>();
        builder.Services.AddSingleton<GitHubWebhook>();
        var options = builder.Configuration.GetSection(TrackerOptions.Section).Get<TrackerOptions>() ?? new TrackerOptions();
        switch (options.ParsedKind)
        {
            case TrackerKind.GitHub:
                AddClient(builder.Services.AddHttpClient<ITrackerClient, GitHubTrackerClient>());
                break;
            case TrackerKind.Jira:
                AddClient(builder.Services.AddHttpClient<ITrackerClient, JiraTrackerClient>());
                break;
        }

        return builder;
    }

    /// <summary>
    /// The adapter is a singleton holding one client for good, so its handler is never rotated by the factory: the
    /// pooled connections are renewed instead, and DNS changes are seen.
    /// </summary>
    private static void AddClient(IHttpClientBuilder client)
    {
        client.SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        client.Services.AddSingleton<IChatPlatform, TrackerChatPlatform>();
    }

    /// <summary>Whether follow-ups are mirrored (a valid kind is configured).</summary>
    public static bool MirrorsFollowUps(IConfiguration configuration) =>
        configuration.GetSection(TrackerOptions.Section).Get<TrackerOptions>()?.IsEnabled == true;

    public static IEndpointRouteBuilder MapTrackers(this IEndpointRouteBuilder app)
    {
        app.MapPost("/trackers/github/webhook", (HttpContext http, GitHubWebhook webhook, CancellationToken ct) => webhook.HandleAsync(http, ct));
        return app;
    }
}
