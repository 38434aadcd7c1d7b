using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Web;

/// <summary>
/// An incident by number, the HTTP API's rule: one match is the incident; a number that several workspaces have needs
/// <c>?platform=&amp;workspace=</c>.
/// </summary>
internal sealed record IncidentLookup(Incident? Incident, IReadOnlyList<Incident> Matches)
{
    public bool IsAmbiguous => Incident is null && Matches.Count > 1;

    public static async Task<IncidentLookup> FindAsync(IIncidentStore store, int number, string? platform, string? workspace, CancellationToken cancellationToken)
    {
        var matches = await store.FindByNumberAsync(number, Blank(platform), Blank(workspace), cancellationToken);
        return new IncidentLookup(matches.Count == 1 ? matches[0] : null, matches);
    }

    /// <summary>The query string that names this incident's workspace, for links that must not be ambiguous.</summary>
    public static string Query(Incident incident, string? timeZone = null) =>
        $"?platform={Uri.EscapeDataString(incident.Platform)}&workspace={Uri.EscapeDataString(incident.WorkspaceId)}"
        + (timeZone is null ? "" : $"&tz={Uri.EscapeDataString(timeZone)}");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
