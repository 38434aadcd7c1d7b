using IncidentBot.Core.Alerts;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Host.Api;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Alerts;

/// <summary>
/// <c>POST /alerts/alertmanager</c> (Alertmanager's webhook, Grafana's on the same route) and <c>POST /alerts/webhook</c>
/// (a small JSON for other sources): a firing group opens an incident, later notifications of the group add to it.
/// The answer comes after the change committed: 200 means recorded, 5xx asks the sender to retry, 4xx says why the
/// request can never succeed (the sender does not retry it).
/// </summary>
internal static class AlertEndpoints
{
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>();
        builder.Services.AddSingleton<AlertIntake>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/alerts/alertmanager", (HttpContext http, AlertIntake intake, CancellationToken ct) => intake.HandleAsync(http, AlertmanagerPayload.Parse, ct));
        app.MapPost("/alerts/webhook", (HttpContext http, AlertIntake intake, CancellationToken ct) => intake.HandleAsync(http, WebhookAlertPayload.Parse, ct));
        return app;
    }
}

/// <summary>One request's way through the intake: token, size, body, route, then the use case.</summary>
internal sealed class AlertIntake(IOptions<AlertsOptions> options, IncidentService service, ILogger<AlertIntake> logger)
{
    internal delegate ParsedAlerts Parser(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> severityMap);

    private readonly AlertsOptions _options = options.Value;
    private readonly BearerKeys _tokens = new(options.Value.Tokens);

    public async Task<IResult> HandleAsync(HttpContext http, Parser parse, CancellationToken cancellationToken)
    {
        var route = http.Request.Path.Value ?? "";
        if (_tokens.IsEmpty)
        {
            return TypedResults.NotFound();
        }

        if (!_tokens.Accepts(http.Request.Headers.Authorization.ToString()))
        {
            Log.AlertRefused(logger, route, StatusCodes.Status401Unauthorized, "no valid Bearer token");
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid alert token is required (Authorization: Bearer <token>).");
        }

        var body = await ReadLimitedAsync(http.Request, _options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            Log.AlertRefused(logger, route, StatusCodes.Status413PayloadTooLarge, $"body over {_options.MaxBodyBytes} bytes");
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The body is larger than {_options.MaxBodyBytes} bytes (IncidentBot:Alerts:MaxBodyBytes).");
        }

        var parsed = parse(body, _options.SeverityMap);
        if (parsed.Notification is not { } notification)
        {
            Log.AlertRefused(logger, route, StatusCodes.Status400BadRequest, parsed.Error!);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: parsed.Error);
        }

        if (Route(parsed.RouteLabels) is not { } target)
        {
            const string NoRoute = "No entry of IncidentBot:Alerts:Routes matches the group's labels, and there is no default entry (one without Match).";
            Log.AlertRefused(logger, route, StatusCodes.Status422UnprocessableEntity, NoRoute);
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: NoRoute);
        }

        AlertOutcome outcome;
        try
        {
            outcome = await service.ReceiveAlertsAsync(notification, target, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store is down or failing: nothing was recorded, and a 5xx makes Alertmanager send it again.
            Log.AlertFailed(logger, route, e);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The alert could not be recorded now; send it again.");
        }

        Log.AlertReceived(logger, route, outcome.Result.ToString(), outcome.Incident?.Key ?? "-");
        return TypedResults.Ok(new AlertResponse(Name(outcome.Result), outcome.Incident?.Key, outcome.Incident?.Number, outcome.Incident?.Platform, outcome.Incident?.WorkspaceId));
    }

    /// <summary>The first route whose labels all match; an entry without labels matches every group.</summary>
    internal AlertTarget? Route(IReadOnlyDictionary<string, string> labels)
    {
        var entry = _options.Routes.FirstOrDefault(r => r.Match.All(m => labels.TryGetValue(m.Key, out var value) && value == m.Value));
        if (entry is null)
        {
            return null;
        }

        var commander = string.IsNullOrWhiteSpace(entry.Commander) ? null : new Person(entry.Commander.Trim(), string.IsNullOrWhiteSpace(entry.CommanderName) ? entry.Commander.Trim() : entry.CommanderName.Trim());
        return new AlertTarget(entry.PlatformName!, entry.WorkspaceId!.Trim(), string.IsNullOrWhiteSpace(entry.AnnouncementChannel) ? null : entry.AnnouncementChannel.Trim(), commander);
    }

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes (read no further than that).</summary>
    internal static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Name(AlertResult result) => result switch
    {
        AlertResult.Opened => "opened",
        AlertResult.Updated => "updated",
        AlertResult.Unchanged => "unchanged",
        _ => "no-open-incident",
    };

    private sealed record AlertResponse(string Result, string? Incident, int? Number, string? Platform, string? Workspace);
}
