namespace IncidentBot.Slack.Inbound;

/// <summary>Slack's platform name in Core, on incidents, outbox rows and replies: the one place it is spelled.</summary>
public static class SlackPlatformName
{
    public const string Value = "slack";
}
