namespace IncidentBot.Core.Incidents;

/// <summary>A person on a chat platform: the platform's user id and a display name.</summary>
public sealed record Person(string Id, string Name)
{
    /// <summary>The bot itself, the actor of reminders and automatic entries.</summary>
    public static readonly Person Bot = new("incidentbot", "IncidentBot");

    /// <summary>No one yet: the commander of an incident an alert opened, until someone acknowledges it.</summary>
    public static readonly Person Unassigned = new("", "unassigned");

    /// <summary>Whether this names someone (not <see cref="Unassigned"/>).</summary>
    public bool IsAssigned => Id.Length > 0;
}
