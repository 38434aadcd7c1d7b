using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.WebApi;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.SocketMode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack;

/// <summary>Registers and maps the Slack adapter: <c>AddSlack</c> / <c>MapSlack</c>.</summary>
public static class SlackExtensions
{
    /// <summary>What the use cases need to know of Slack: the announcement channel, the responders, links, direct messages.</summary>
    public static PlatformSettings Settings(SlackOptions options) =>
        new(SlackPlatformName.Value, options.AnnouncementChannel, options.Responders)
        {
            ConversationLinkTemplate = "https://slack.com/app_redirect?channel={conversation}",

            // chat.postMessage to a user id lands in the app's Messages tab (chat:write, already granted).
            DirectMessages = DirectMessages.ByUserId,
        };

    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddSingleton(sp => Settings(sp.GetRequiredService<IOptions<SlackOptions>>().Value));

        // One long-lived client with pooled connections that are recycled, so DNS changes are seen. No
        // client-wide timeout: SlackApiClient gives every call its own (SlackOptions.RequestTimeout).
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SlackOptions>>();
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = new Uri(options.Value.ApiBaseUrl),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            return new SlackApiClient(http, options, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IChatPlatform, SlackChatPlatform>();
        services.AddSingleton<ISlackInteractiveApi, SlackInteractiveApi>();
        services.AddSingleton<SlackSignatureVerifier>();
        services.AddSingleton<SlackRequestReader>();
        services.AddSingleton<SlackAnswers>();
        services.AddSingleton<SlackRefusals>();
        services.AddSingleton<SlackCommandHandler>();
        services.AddSingleton<SlackInteractionHandler>();
        services.AddSingleton<SlackEventHandler>();
        services.AddSingleton<SocketModeStatus>();
        services.AddSingleton(sp => new SocketModeBackoff(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SocketModeRouter>();
        services.AddHostedService<SocketModeService>();
        return services;
    }

    /// <summary>Maps /slack/*; without a signing secret nothing is mapped, so the routes answer 404.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value.IsHttpEnabled)
        {
            return app;
        }

        var slack = app.MapGroup("/slack").DisableAntiforgery();
        slack.MapPost("/commands", (HttpRequest http, SlackRequestReader reader, SlackCommandHandler handler, CancellationToken ct) =>
            reader.AnswerAsync(http, request => handler.AnswerAsync(SlackFields.FromForm(request.Form), ct), ct));
        slack.MapPost("/interactions", (HttpRequest http, SlackRequestReader reader, SlackInteractionHandler handler, CancellationToken ct) =>
            reader.AnswerAsync(http, request => handler.AnswerAsync(request.Field("payload"), ct), ct));
        slack.MapPost("/events", (HttpRequest http, SlackRequestReader reader, SlackEventHandler handler, CancellationToken ct) =>
            reader.AnswerAsync(http, request => handler.AnswerAsync(request.Body, ct), ct));
        return app;
    }
}

/// <summary>Start-up checks for section IncidentBot:Slack, each naming its key.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp) || !options.ApiBaseUrl.EndsWith('/'))
        {
            return ValidateOptionsResult.Fail($"{SlackOptions.Section}:ApiBaseUrl must be an absolute http(s) URL ending in '/'.");
        }

        if ((options.IsHttpEnabled || options.IsSocketModeEnabled) && string.IsNullOrWhiteSpace(options.BotToken))
        {
            return ValidateOptionsResult.Fail($"{SlackOptions.Section}:BotToken must be set when {SlackOptions.Section}:SigningSecret or {SlackOptions.Section}:AppToken is.");
        }

        if (options.IsSocketModeEnabled && !options.AppToken!.StartsWith("xapp-", StringComparison.Ordinal))
        {
            // Never the value itself: a bot token pasted here is still a secret.
            return ValidateOptionsResult.Fail($"{SlackOptions.Section}:AppToken must be an app-level token (it starts with xapp-; Basic Information > App-Level Tokens, scope connections:write).");
        }

        if (options.SocketConnections is < 1 or > SlackOptions.MaxSocketConnections)
        {
            return ValidateOptionsResult.Fail($"{SlackOptions.Section}:SocketConnections must be from 1 to {SlackOptions.MaxSocketConnections} (Slack allows an app at most {SlackOptions.MaxSocketConnections} connections).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail($"{SlackOptions.Section}:RequestTimeout must be more than zero and at most 00:05:00.");
        }

        if (options.ArchiveChannelAfter is { } archiveAfter && archiveAfter <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{SlackOptions.Section}:ArchiveChannelAfter must be more than zero (for example 7.00:00:00), or unset to keep channels.");
        }

        return string.IsNullOrWhiteSpace(options.CaptureReaction) || options.CaptureReaction.Contains(':', StringComparison.Ordinal)
            ? ValidateOptionsResult.Fail($"{SlackOptions.Section}:CaptureReaction must be an emoji name without colons, e.g. pushpin.")
            : ValidateOptionsResult.Success;
    }
}
