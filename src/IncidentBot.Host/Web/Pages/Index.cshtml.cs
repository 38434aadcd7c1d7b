using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>The incidents: open first, then recent, filtered and paged.</summary>
internal sealed class IndexModel(IIncidentStore store, IncidentService service, IEnumerable<PlatformSettings> platforms) : PageModel
{
    public const int PageSize = 25;

    public IncidentPage Result { get; private set; } = new([], 0);

    public IncidentState? State { get; private set; }

    public Severity? Severity { get; private set; }

    public string? Platform { get; private set; }

    public string? Workspace { get; private set; }

    public string? Text { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public TimeZoneInfo Zone => service.DefaultTimeZone;

    public IReadOnlyList<string> Platforms { get; } = platforms.Select(p => p.Platform).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public async Task OnGetAsync(string? state, string? severity, string? platform, string? workspace, string? q, int? p, CancellationToken ct)
    {
        State = Enum.TryParse<IncidentState>(state, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;
        Severity = Enum.TryParse<Severity>(severity, ignoreCase: true, out var v) && Enum.IsDefined(v) ? v : null;
        Platform = string.IsNullOrWhiteSpace(platform) ? null : platform.Trim();
        Workspace = string.IsNullOrWhiteSpace(workspace) ? null : workspace.Trim();
        Text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        PageNumber = Math.Max(1, p ?? 1);
        Result = await store.SearchIncidentsAsync(Search(PageNumber), ct);
        if (Result.Incidents.Count == 0 && PageNumber > PageCount)
        {
            PageNumber = PageCount;
            Result = await store.SearchIncidentsAsync(Search(PageNumber), ct);
        }
    }

    public string? ConversationLink(Incident incident) =>
        Format.SafeLink(platforms.FirstOrDefault(p => p.Platform == incident.Platform)?.ConversationLink(incident));

    /// <summary>This page's filters with another page number.</summary>
    public string PageLink(int page)
    {
        var query = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                query.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }

        Add("state", State?.ToString());
        Add("severity", Severity?.ToString());
        Add("platform", Platform);
        Add("workspace", Workspace);
        Add("q", Text);
        Add("p", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/?" + string.Join('&', query);
    }

    private IncidentSearch Search(int page) => new()
    {
        State = State,
        Severity = Severity,
        Platform = Platform,
        WorkspaceId = Workspace,
        Text = Text,
        Skip = (page - 1) * PageSize,
        Take = PageSize,
    };
}
