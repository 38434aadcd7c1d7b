namespace IncidentBot.Slack.Configuration;

/// <summary>Section <c>IncidentBot:Slack</c>. Without a signing secret the Slack routes are off.</summary>
public sealed class SlackOptions
{
    public const string Section = "IncidentBot:Slack";
    public const string DefaultApiBaseUrl = "https://slack.com/api/";
    public const string DefaultCaptureReaction = "pushpin";

    /// <summary>Slack answers in well under a second; ten means it is hung, not slow.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Verifies every request from Slack (v0 HMAC-SHA256).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The <c>xoxb-</c> bot token for the Web API.</summary>
    public string? BotToken { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>Channel id for declarations and status updates.</summary>
    public string? AnnouncementChannel { get; set; }

    /// <summary>User ids invited to every incident channel.</summary>
    public List<string> Responders { get; set; } = [];

    /// <summary>Workspaces allowed; empty allows any.</summary>
    public List<string> AllowedTeamIds { get; set; } = [];

    /// <summary>Messages reacted to with this emoji (name without colons) are captured on the timeline.</summary>
    public string CaptureReaction { get; set; } = DefaultCaptureReaction;

    /// <summary>How long one Web API call (or file upload) may take before it fails as transient.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(SigningSecret);
}
