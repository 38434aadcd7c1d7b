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
        "/slack/commands" => ("slack", "command"),
        "/slack/interactions" => ("slack", "interaction"),
        "/slack/events" => ("slack", "event"),
        "/api/messages" => ("teams", "activity"),
        _ => null,
    };
}
