using IncidentBot.Slack.Inbound;
using IncidentBot.Teams.Inbound;

namespace IncidentBot.Host.Metrics;

/// <summary>Counts and times the chat platforms' requests: the routes are the outside contract, so the kinds are fixed.</summary>
internal sealed class InboundMetricsMiddleware(RequestDelegate next, BotMetrics metrics, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (KindOf(context.Request.Path) is not { } route)
        {
            await next(context);
            return;
        }

        var started = clock.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Inbound(route.Platform, route.Kind, context.Response.StatusCode, clock.GetElapsedTime(started));
        }
    }

    private static (string Platform, string Kind)? KindOf(PathString path) => path.Value switch
    {
        "/slack/commands" => (SlackPlatformName.Value, "command"),
        "/slack/interactions" => (SlackPlatformName.Value, "interaction"),
        "/slack/events" => (SlackPlatformName.Value, "event"),
        "/api/messages" => (TeamsPlatformName.Value, "activity"),
        "/alerts/alertmanager" => ("alerts", "alertmanager"),
        "/alerts/webhook" => ("alerts", "webhook"),
        _ => null,
    };
}
