namespace IncidentBot.Core.Incidents;

/// <summary>How bad an incident is: Sev1 is the worst.</summary>
public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}

/// <summary>What kind of incident this is.</summary>
public enum IncidentType
{
    Livesite,
    Deployment,
    CustomerReported,
}

/// <summary>The lifecycle states, in the only order an incident may move through them.</summary>
public enum IncidentState
{
    Declared,
    Acknowledged,
    Mitigated,
    Resolved,
}

/// <summary>A person on a chat platform: the platform's user id and a display name.</summary>
public sealed record Person(string Id, string Name)
{
    /// <summary>The bot itself, the actor of reminders and automatic entries.</summary>
    public static readonly Person Bot = new("incidentbot", "IncidentBot");
}
