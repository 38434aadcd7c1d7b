using System.Security.Claims;
using IncidentBot.Core.Ports;
using IncidentBot.Slack.Configuration;
using IncidentBot.Teams.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Web;

/// <summary>
/// Who may read: a Slack user of an allowed workspace (<c>Slack:AllowedTeamIds</c>, or when that is empty a workspace
/// the bot has incidents of), or an Entra user of <c>Teams:TenantId</c>.
/// </summary>
internal sealed class WorkspaceAccess(IOptions<SlackOptions> slack, IOptions<TeamsOptions> teams, IIncidentStore store)
{
    public const string SlackTeamClaim = "https://slack.com/team_id";
    public const string TenantClaim = "tid";

    /// <summary>Added at sign-in: the workspace (<c>slack:T…</c> or <c>teams:…</c>) the person was let in for.</summary>
    public const string AdmittedClaim = "incidentbot:workspace";

    /// <summary>At sign-in: the workspace the person is admitted for, or null when they are not.</summary>
    public async Task<string?> AdmitAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirst(SlackTeamClaim)?.Value is { Length: > 0 } team)
        {
            var allowed = slack.Value.AllowedTeamIds.Count > 0
                ? slack.Value.AllowedTeamIds.Contains(team, StringComparer.Ordinal)
                : (await store.SearchIncidentsAsync(new IncidentSearch { Platform = "slack", WorkspaceId = team, Take = 0 }, cancellationToken)).Total > 0;
            return allowed ? $"slack:{team}" : null;
        }

        if (user.FindFirst(TenantClaim)?.Value is { Length: > 0 } tenant && IsTenant(tenant))
        {
            return $"teams:{tenant}";
        }

        return null;
    }

    /// <summary>On every request: the session was admitted, and its workspace is still one the configuration allows.</summary>
    public bool StillAdmits(ClaimsPrincipal user)
    {
        var admitted = user.FindFirst(AdmittedClaim)?.Value;
        if (admitted is null)
        {
            return false;
        }

        if (admitted.StartsWith("slack:", StringComparison.Ordinal))
        {
            var team = admitted["slack:".Length..];
            return slack.Value.AllowedTeamIds.Count == 0 || slack.Value.AllowedTeamIds.Contains(team, StringComparer.Ordinal);
        }

        return admitted.StartsWith("teams:", StringComparison.Ordinal) && IsTenant(admitted["teams:".Length..]);
    }

    private bool IsTenant(string tenant) =>
        teams.Value.TenantId is { Length: > 0 } configured && string.Equals(tenant, configured, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The web view's one policy: see <see cref="WebReaderHandler"/>.</summary>
internal sealed class WebReaderRequirement : IAuthorizationRequirement;

/// <summary>Lets in a signed-in person <see cref="WorkspaceAccess"/> admits, or, in Development with the switch on, a loopback request.</summary>
internal sealed class WebReaderHandler(IOptions<WebOptions> options, WorkspaceAccess access) : AuthorizationHandler<WebReaderRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, WebReaderRequirement requirement)
    {
        var loopback = options.Value.AllowAnonymousLoopback && context.Resource is HttpContext http
            && http.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address);
        if (loopback || (context.User.Identity?.IsAuthenticated == true && access.StillAdmits(context.User)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
