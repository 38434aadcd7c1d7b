using System.Globalization;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentBot.Host.Api;

/// <summary>Follow-ups over the read API: one incident's, and all of them filtered; behind the same Bearer API keys.</summary>
internal static class FollowUpApi
{
    public static IEndpointRouteBuilder MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/incidents/{number:int}/followups", OfIncidentAsync).AddEndpointFilter<ApiKeyFilter>();
        app.MapGet("/api/followups", ListAsync).AddEndpointFilter<ApiKeyFilter>();
        return app;
    }

    private static async Task<Results<Ok<FollowUpDto[]>, ProblemHttpResult>> OfIncidentAsync(IIncidentStore store, TimeProvider clock, int number, string? platform, string? workspace, CancellationToken ct)
    {
        var (incident, problem) = await IncidentApi.FindAsync(store, number, platform, workspace, ct);
        if (incident is null)
        {
            return problem!;
        }

        var today = Today(clock);
        return TypedResults.Ok(incident.FollowUps.Select(f => FollowUpDto.From(incident, f, today)).ToArray());
    }

    private static async Task<Results<Ok<FollowUpDto[]>, ProblemHttpResult>> ListAsync(
        IIncidentStore store, TimeProvider clock, string? state, string? owner, bool? overdue, string? platform, string? workspace, CancellationToken ct)
    {
        FollowUpState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<FollowUpState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, CultureInfo.InvariantCulture, out _))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Unknown state '{state}': use open, done or dropped.");
            }

            wanted = parsed;
        }

        var today = Today(clock);
        var incidents = await store.ListWithFollowUpsAsync(platform, ct);
        var items = incidents
            .Where(i => workspace is null || i.WorkspaceId == workspace)
            .SelectMany(i => i.FollowUps.Select(f => (Incident: i, FollowUp: f)))
            .Where(x => wanted is null || x.FollowUp.State == wanted)
            .Where(x => owner is null || x.FollowUp.Owner?.Id == owner)
            .Where(x => overdue is not { } o || x.FollowUp.IsOverdue(today) == o)
            .Select(x => FollowUpDto.From(x.Incident, x.FollowUp, today))
            .ToArray();
        return TypedResults.Ok(items);
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

/// <summary>A follow-up as the API shows it: <c>id</c> is the number people type in <c>followup done &lt;id&gt;</c> (per workspace).</summary>
internal sealed record FollowUpDto(
    int Id, int Incident, string IncidentKey, string Platform, string Workspace, string Text, string? Owner, string? OwnerName, string? Due,
    string State, bool Overdue, string? DropReason, string? TrackerUrl, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, string? SourceUrl)
{
    public static FollowUpDto From(Incident incident, FollowUp f, DateOnly today) => new(
        f.Number, incident.Number, incident.Key, incident.Platform, incident.WorkspaceId, f.Text, f.Owner?.Id, f.Owner?.Name,
        f.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), f.State.ToString().ToLowerInvariant(), f.IsOverdue(today),
        f.DropReason, f.TrackerUrl, f.CreatedAt, f.ClosedAt, f.SourceLink);
}
