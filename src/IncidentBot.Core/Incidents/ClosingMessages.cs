using System.Globalization;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Incidents;

/// <summary>What closing says about follow-ups still open: the refusal, and the closing entry that lists them.</summary>
public static class ClosingMessages
{
    public static RichText OpenFollowUpsRefusal(Incident incident, IReadOnlyList<FollowUp> open) => RichText.Of(
        $"{incident.Key} has {Count(open)} open: {Numbers(open)}. Finish or drop them first ({Run.Code("followup done <id>")}, {Run.Code("followup drop <id> <reason>")}), or close anyway with {Run.Code("close --with-open-followups")} (they stay tracked).");

    public static string ClosedWithOpen(string entry, IReadOnlyList<FollowUp> open) =>
        $"{entry} Closed with {Count(open)} open, still tracked: " +
        string.Join("; ", open.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Number} {f.Text} ({FollowUpMessages.OwnerName(f)}, due {FollowUpMessages.DueText(f)})"))) + ".";

    private static string Count(IReadOnlyList<FollowUp> open) => open.Count == 1 ? "1 follow-up" : string.Create(CultureInfo.InvariantCulture, $"{open.Count} follow-ups");

    private static string Numbers(IReadOnlyList<FollowUp> open) => string.Join(", ", open.Select(f => f.Number.ToString(CultureInfo.InvariantCulture)));
}
