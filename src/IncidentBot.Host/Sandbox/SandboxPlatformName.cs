namespace IncidentBot.Host.Sandbox;

/// <summary>The sandbox platform's name and its fixed ids: it has one workspace and one announcement conversation.</summary>
public static class SandboxPlatformName
{
    public const string Value = "sandbox";

    /// <summary>The one workspace every sandbox incident is numbered in.</summary>
    public const string Workspace = "sandbox";

    /// <summary>Where declarations and status updates are announced, like Slack's announcement channel.</summary>
    public const string AnnouncementConversation = "sandbox-announcements";
}
