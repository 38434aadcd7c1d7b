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
                builder.Services.AddHttpClient<ITrackerClient, GitHubTrackerClient>();
                builder.Services.AddSingleton<IChatPlatform, TrackerChatPlatform>();
                break;
            case TrackerKind.Jira:
                builder.Services.AddHttpClient<ITrackerClient, JiraTrackerClient>();
                builder.Services.AddSingleton<IChatPlatform, TrackerChatPlatform>();
                break;
        }

        return builder;
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
