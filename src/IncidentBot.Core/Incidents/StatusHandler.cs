using System.Globalization;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Incidents;

/// <summary>The status view: the incident's facts and its latest timeline entries with their ids.</summary>
public sealed class StatusHandler(HandlerServices services) : ReadingIncidentHandler<StatusCommand>
{
    /// <summary>How many of the latest timeline entries the status view lists.</summary>
    public const int RecentShown = 10;

    protected override async Task<Decision> DecideAsync(StatusCommand command, Incident incident, CommandContext context, CancellationToken cancellationToken)
    {
        var recent = await services.Store.GetRecentTimelineAsync(incident.Id, RecentShown, cancellationToken);
        return Decision.ReplyOnly(CommandReply.Private(Summary(incident) + RecentEntries(recent), incident));
    }

    private static RichText Summary(Incident incident)
    {
        var roles = incident.Roles.Count == 0 ? "none" : string.Join(", ", incident.Roles.Select(r => $"{r.Key}: {r.Value.Name}"));
        return RichText.Join(Run.LineBreak,
        [
            RichText.Of($"{Run.Bold($"{incident.Key}: {incident.Title}")}"),
            RichText.Of($"State: {incident.State} | Severity: {incident.Severity} | Type: {IncidentMessages.TypeLabel(incident.Type)}"),
            RichText.Of($"Commander: {incident.Commander.Name} | Roles: {roles}"),
            RichText.Of($"Declared: {IncidentMessages.FormatInstant(incident.DeclaredAt)} | TTA {IncidentMessages.FormatDuration(incident.TimeToAcknowledge)} | TTM {IncidentMessages.FormatDuration(incident.TimeToMitigate)} | TTR {IncidentMessages.FormatDuration(incident.TimeToResolve)}"),
            RichText.Of($"Last status update: {IncidentMessages.FormatInstant(incident.LastStatusUpdateAt)}"),
        ]);
    }

    /// <summary>The latest timeline entries with their ids, so the commander can leave one out of the postmortem.</summary>
    private static RichText RecentEntries(IReadOnlyList<TimelineEntry> recent)
    {
        if (recent.Count == 0)
        {
            return RichText.Empty;
        }

        var lines = recent.Select(e => RichText.Of(
            $"{Run.Code($"#{e.Id.ToString(CultureInfo.InvariantCulture)}")} {e.At.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} {e.Kind} ({e.Actor.Name}): {(e.Text.Length > 80 ? e.Text[..80] + "…" : e.Text)}"));
        return RichText.Join(Run.LineBreak,
            [RichText.Empty, RichText.Of($"Latest timeline entries (leave one out of the postmortem with {Run.Code("note --remove <id>")}):"), .. lines]);
    }
}
