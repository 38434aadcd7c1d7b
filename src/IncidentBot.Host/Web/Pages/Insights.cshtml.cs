using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>The numbers: per month and severity, per type, and the slowest to mitigate, over the last 30, 90 or 365 days (at most <see cref="InsightsCache.MaxAge"/> old).</summary>
internal sealed class InsightsModel(InsightsCache insights) : PageModel
{
    public InsightsReport Report { get; private set; } = null!;

    public string? Platform { get; private set; }

    public string? Workspace { get; private set; }

    public async Task OnGetAsync(int? days, string? platform, string? workspace, CancellationToken ct)
    {
        Platform = string.IsNullOrWhiteSpace(platform) ? null : platform;
        Workspace = string.IsNullOrWhiteSpace(workspace) ? null : workspace;
        Report = await insights.GetAsync(InsightsReport.RangeOf(days), Platform, Workspace, ct);
    }

    public MonthSeverity Row(string month, IncidentBot.Core.Incidents.Severity severity) =>
        Report.Rows.First(r => r.Month == month && r.Severity == severity);
}
