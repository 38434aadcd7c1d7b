namespace IncidentBot.Core.Incidents;

/// <summary>What kind of incident this is. Stored as its number: never renumber, only add.</summary>
public enum IncidentType
{
    Livesite = 0,
    Deployment = 1,
    CustomerReported = 2,
}
