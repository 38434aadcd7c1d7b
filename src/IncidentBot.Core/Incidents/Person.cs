namespace IncidentBot.Core.Incidents;

/// <summary>A person on a chat platform: the platform's user id and a display name.</summary>
public sealed record Person(string Id, string Name)
{
    /// <summary>The bot itself, the actor of reminders and automatic entries.</summary>
    public static readonly Person Bot = new("incidentbot", "IncidentBot");
}
