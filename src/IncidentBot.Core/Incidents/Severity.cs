namespace IncidentBot.Core.Incidents;

/// <summary>How bad an incident is: Sev1 is the worst. Stored as its number.</summary>
public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}
