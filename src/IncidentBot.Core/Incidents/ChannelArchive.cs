using System.Globalization;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Incidents;

/// <summary>What archiving a closed incident's conversation writes to the outbox: the notice first, then the archive.</summary>
public static class ChannelArchive
{
    /// <summary>The inbound id the archive is written under, so one replica writes it once.</summary>
    public static string InboundIdOf(long incidentId) => string.Create(CultureInfo.InvariantCulture, $"channel-archive:{incidentId}");

    public static IReadOnlyList<OutgoingMessage> Messages(Incident incident)
    {
        var closed = incident.ClosedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "earlier";
        var notice = new ChatMessage
        {
            Text = RichText.Of($"This channel will be archived now: {Run.Bold(incident.Key)} was closed on {closed}. Its timeline and postmortem stay with IncidentBot."),
        };
        return [Outgoing.Post(incident, notice), Outgoing.ToIncident(incident, ChatOperation.ArchiveConversation)];
    }
}
