namespace IncidentBot.Slack.Configuration;

/// <summary>
/// Section <c>IncidentBot:Slack</c>. A signing secret turns the HTTP routes on, an app-level token Socket Mode;
/// either, or both, with the bot token for the Web API.
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "IncidentBot:Slack";
    public const string DefaultApiBaseUrl = "https://slack.com/api/";
    public const string DefaultCaptureReaction = "pushpin";

    public const int DefaultSocketConnections = 1;

    /// <summary>Slack allows an app at most ten Socket Mode connections at once.</summary>
    public const int MaxSocketConnections = 10;

    /// <summary>Slack answers in well under a second; ten means it is hung, not slow.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Verifies every request from Slack (v0 HMAC-SHA256).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The <c>xapp-</c> app-level token (scope connections:write): when set, the bot connects by Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>How many Socket Mode connections this replica keeps open (1 to 10).</summary>
    public int SocketConnections { get; set; } = DefaultSocketConnections;

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

    /// <summary>When set (e.g. <c>7.00:00:00</c>), a closed incident's channel is archived this long after the close; off when null.</summary>
    public TimeSpan? ArchiveChannelAfter { get; set; }

    /// <summary>The HTTP routes /slack/* answer (they need the signing secret to verify requests).</summary>
    public bool IsHttpEnabled => !string.IsNullOrWhiteSpace(SigningSecret);

    public bool IsSocketModeEnabled => !string.IsNullOrWhiteSpace(AppToken);
}
