namespace IncidentBot.Teams.Inbound;

/// <summary>Teams' platform name in Core, on incidents, outbox rows and replies: the one place it is spelled.</summary>
public static class TeamsPlatformName
{
    public const string Value = "teams";
}
