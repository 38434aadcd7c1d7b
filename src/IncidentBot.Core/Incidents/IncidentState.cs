namespace IncidentBot.Core.Incidents;

/// <summary>The lifecycle states, in the only order an incident may move through them. Stored as its number.</summary>
public enum IncidentState
{
    Declared = 0,
    Acknowledged = 1,
    Mitigated = 2,
    Resolved = 3,

    /// <summary>After resolve: the postmortem was reviewed.</summary>
    Reviewed = 4,

    /// <summary>The end: reviewed and done with; a recurrence is a new incident.</summary>
    Closed = 5,
}
