using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Service;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>The postmortem draft, rendered from PostmortemWriter's Markdown, with its downloads.</summary>
internal sealed class PostmortemModel(IIncidentStore store, IncidentService service, MarkdownRenderer markdown) : PageModel
{
    public int Number { get; private set; }

    public IncidentLookup Lookup { get; private set; } = new(null, []);

    public HtmlString Html { get; private set; } = HtmlString.Empty;

    public string Query { get; private set; } = "";

    public async Task OnGetAsync(int number, string? platform, string? workspace, string? tz, CancellationToken ct)
    {
        Number = number;
        Lookup = await IncidentLookup.FindAsync(store, number, platform, workspace, ct);
        if (Lookup.Incident is not { } incident)
        {
            Response.StatusCode = Lookup.IsAmbiguous ? StatusCodes.Status409Conflict : StatusCodes.Status404NotFound;
            return;
        }

        var zone = TimeZones.Find(tz) ?? service.DefaultTimeZone;
        var draft = await service.ExportPostmortemAsync(incident, zone, ct);
        Html = new HtmlString(markdown.ToSafeHtml(PostmortemWriter.ToMarkdown(draft)));
        Query = IncidentLookup.Query(incident, zone.Id);
    }
}
