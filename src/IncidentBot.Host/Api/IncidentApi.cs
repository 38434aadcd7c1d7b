using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentBot.Host.Api;

/// <summary>The read API under /api/incidents, behind Bearer API keys.</summary>
internal static class IncidentApi
{
    public static IEndpointRouteBuilder MapIncidentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/incidents").AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/", ListAsync);
        group.MapGet("/{number:int}", GetAsync);
        group.MapGet("/{number:int}/timeline", TimelineAsync);
        group.MapGet("/{number:int}/postmortem", PostmortemAsync);
        return app;
    }

    private static async Task<Ok<IncidentDto[]>> ListAsync(IIncidentStore store, string? platform, string? workspace, bool? open, CancellationToken ct)
    {
        var incidents = await store.ListAsync(platform, workspace, open ?? false, ct);
        return TypedResults.Ok(incidents.Select(IncidentDto.From).ToArray());
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> GetAsync(IIncidentStore store, int number, string? platform, string? workspace, CancellationToken ct)
    {
        var (incident, problem) = await FindAsync(store, number, platform, workspace, ct);
        return incident is null ? problem! : TypedResults.Ok(IncidentDto.From(incident));
    }

    private static async Task<Results<Ok<TimelineDto[]>, ProblemHttpResult>> TimelineAsync(IIncidentStore store, int number, string? platform, string? workspace, CancellationToken ct)
    {
        var (incident, problem) = await FindAsync(store, number, platform, workspace, ct);
        if (incident is null)
        {
            return problem!;
        }

        var entries = await store.GetTimelineAsync(incident.Id, ct);
        return TypedResults.Ok(entries.Select(TimelineDto.From).ToArray());
    }

    private static async Task<IResult> PostmortemAsync(HttpContext http, IIncidentStore store, IncidentService service, int number, string? platform, string? workspace, string? tz, CancellationToken ct)
    {
        var (incident, problem) = await FindAsync(store, number, platform, workspace, ct);
        if (incident is null)
        {
            return problem!;
        }

        var zone = service.DefaultTimeZone;
        if (tz is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Unknown time zone '{tz}'.");
        }

        var draft = await service.ExportPostmortemAsync(incident, zone, ct);
        var wantsJson = http.Request.Headers.Accept.Any(a => a is not null && a.Contains("application/json", StringComparison.OrdinalIgnoreCase));
        return wantsJson
            ? TypedResults.Ok(draft)
            : TypedResults.Text(PostmortemWriter.ToMarkdown(draft), "text/markdown; charset=utf-8");
    }

    internal static async Task<(Incident? Incident, ProblemHttpResult? Problem)> FindAsync(IIncidentStore store, int number, string? platform, string? workspace, CancellationToken ct)
    {
        var matches = await store.FindByNumberAsync(number, platform, workspace, ct);
        return matches.Count switch
        {
            1 => (matches[0], null),
            0 => (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No incident INC-{number}.")),
            _ => (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"INC-{number} exists in several workspaces; add ?platform=...&workspace=...")),
        };
    }
}

/// <summary>An incident as the API shows it.</summary>
internal sealed record IncidentDto(
    int Number, string Key, string Platform, string Workspace, string Title, string Description, string Severity, string Type, string State,
    Person Commander, IReadOnlyDictionary<string, Person> Roles, DateTimeOffset DeclaredAt, DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? MitigatedAt, DateTimeOffset? ResolvedAt, double? TimeToAcknowledgeSeconds, double? TimeToMitigateSeconds,
    double? TimeToResolveSeconds, string? ConversationId, int Version,
    DateTimeOffset? ReviewedAt, Person? ReviewedBy, DateTimeOffset? ClosedAt, double? TimeToReviewSeconds, double? TimeToCloseSeconds, bool Drill)
{
    public static IncidentDto From(Incident i) => new(
        i.Number, i.Key, i.Platform, i.WorkspaceId, i.Title, i.Description, i.Severity.ToString(), i.Type.ToString(), i.State.ToString(),
        i.Commander, i.Roles, i.DeclaredAt, i.AcknowledgedAt, i.MitigatedAt, i.ResolvedAt,
        i.TimeToAcknowledge?.TotalSeconds, i.TimeToMitigate?.TotalSeconds, i.TimeToResolve?.TotalSeconds, i.ConversationId, i.Version,
        i.ReviewedAt, i.ReviewedBy, i.ClosedAt, i.TimeToReview?.TotalSeconds, i.TimeToClose?.TotalSeconds, i.IsDrill);
}

/// <summary>A timeline entry as the API shows it.</summary>
internal sealed record TimelineDto(long Id, DateTimeOffset At, string Kind, Person Actor, string Text, bool Redacted)
{
    public static TimelineDto From(TimelineEntry e) => new(e.Id, e.At, e.Kind.ToString(), e.Actor, e.Text, e.Redacted);
}
