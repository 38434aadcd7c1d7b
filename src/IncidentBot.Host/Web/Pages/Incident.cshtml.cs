using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>One incident: header, milestones, the timeline in a time zone the reader picks, participants.</summary>
internal sealed class IncidentModel(IIncidentStore store, IncidentService service) : PageModel
{
    public int Number { get; private set; }

    public IncidentLookup Lookup { get; private set; } = new(null, []);

    public Incident Incident => Lookup.Incident!;

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    public PostmortemDraft Draft { get; private set; } = null!;

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The zone asked for when it is not one this machine knows; the default is shown instead.</summary>
    public string? UnknownZone { get; private set; }

    public string? ConversationLink => Format.SafeLink(Draft.ConversationLink);

    public async Task OnGetAsync(int number, string? platform, string? workspace, string? tz, CancellationToken ct)
    {
        Number = number;
        Lookup = await IncidentLookup.FindAsync(store, number, platform, workspace, ct);
        if (Lookup.Incident is null)
        {
            Response.StatusCode = Lookup.IsAmbiguous ? StatusCodes.Status409Conflict : StatusCodes.Status404NotFound;
            return;
        }

        Zone = TimeZones.Find(tz) ?? service.DefaultTimeZone;
        UnknownZone = tz is not null && TimeZones.Find(tz) is null ? tz : null;
        Timeline = await store.GetTimelineAsync(Incident.Id, ct);
        Draft = await service.ExportPostmortemAsync(Incident, Zone, ct);
    }
}
