using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Incidents;

/// <summary>What a declaration posts beyond the header: the announcement.</summary>
public static class DeclareMessages
{
    public static ChatMessage Announcement(Incident incident) => new()
    {
        Title = RichText.Of($"{Run.Picture(Icon.Alert)} {IncidentMessages.DrillMark(incident)}{incident.Key} declared: {incident.Title}"),
        Text = $"{(incident.IsDrill ? "This is a drill, not an outage. " : "")}{incident.Severity} {IncidentMessages.TypeLabel(incident.Type)} incident, commander {incident.Commander.Name}. Join the incident conversation to help.",
        Fields = [new("Severity", incident.Severity.ToString()), new("Commander", incident.Commander.Name)],
        LinksIncidentConversation = true,
    };
}
