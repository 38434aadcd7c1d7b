using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>The numbers: per month and severity, per type, and the slowest to mitigate, over the last 30, 90 or 365 days (at most <see cref="InsightsCache.MaxAge"/> old).</summary>
internal sealed class InsightsModel(InsightsCache insights) : PageModel
{
    public InsightsReport Report { get; private set; } = null!;

    public string? Platform { get; private set; }

    public string? Workspace { get; private set; }

    /// <summary>Drills are practice, left out unless the toggle asks for them.</summary>
    public bool Drills { get; private set; }

    public async Task OnGetAsync(int? days, string? platform, string? workspace, bool? drills, CancellationToken ct)
    {
        Drills = drills == true;
        Platform = string.IsNullOrWhiteSpace(platform) ? null : platform;
        Workspace = string.IsNullOrWhiteSpace(workspace) ? null : workspace;
        Report = await insights.GetAsync(InsightsReport.RangeOf(days), Platform, Workspace, Drills, ct);
    }

    public MonthSeverity Row(string month, IncidentBot.Core.Incidents.Severity severity) =>
        Report.Rows.First(r => r.Month == month && r.Severity == severity);
}
