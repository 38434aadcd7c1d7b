using System.Text;
using System.Text.Json;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Service;

namespace IncidentBot.Host.Web;

/// <summary>The postmortem draft as files: the Markdown PostmortemWriter writes, and the same draft as JSON.</summary>
internal static class PostmortemDownloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task<IResult> MarkdownAsync(IIncidentStore store, IncidentService service, int number, string? platform, string? workspace, string? tz, CancellationToken ct) =>
        DownloadAsync(store, service, number, platform, workspace, tz, draft => (Encoding.UTF8.GetBytes(PostmortemWriter.ToMarkdown(draft)), "text/markdown; charset=utf-8", "md"), ct);

    public static Task<IResult> JsonAsync(IIncidentStore store, IncidentService service, int number, string? platform, string? workspace, string? tz, CancellationToken ct) =>
        DownloadAsync(store, service, number, platform, workspace, tz, draft => (JsonSerializer.SerializeToUtf8Bytes(draft, Json), "application/json; charset=utf-8", "json"), ct);

    private static async Task<IResult> DownloadAsync(IIncidentStore store, IncidentService service, int number, string? platform, string? workspace, string? tz,
        Func<PostmortemDraft, (byte[] Content, string ContentType, string Extension)> render, CancellationToken ct)
    {
        var lookup = await IncidentLookup.FindAsync(store, number, platform, workspace, ct);
        if (lookup.Incident is not { } incident)
        {
            return lookup.IsAmbiguous
                ? TypedResults.Text($"INC-{number} exists in several workspaces; add ?platform=...&workspace=...", "text/plain; charset=utf-8", statusCode: StatusCodes.Status409Conflict)
                : TypedResults.Text($"No incident INC-{number}.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        var draft = await service.ExportPostmortemAsync(incident, TimeZones.Find(tz) ?? service.DefaultTimeZone, ct);
        var (content, contentType, extension) = render(draft);
        return TypedResults.File(content, contentType, $"{incident.Key}-postmortem.{extension}");
    }
}
