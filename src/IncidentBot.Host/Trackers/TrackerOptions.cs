using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Trackers;

/// <summary>
/// Section <c>IncidentBot:FollowUps:Tracker</c>: the issue tracker follow-ups are mirrored to. No <see cref="Kind"/>:
/// off (nothing is mirrored and the webhook answers 404).
/// </summary>
public sealed class TrackerOptions
{
    public const string Section = "IncidentBot:FollowUps:Tracker";

    public const string DefaultGitHubBaseUrl = "https://api.github.com";

    /// <summary><c>GitHub</c> or <c>Jira</c>; empty: no tracker.</summary>
    public string? Kind { get; set; }

    /// <summary>The REST API's root: <see cref="DefaultGitHubBaseUrl"/> for GitHub when not set; the site URL for Jira.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>GitHub: <c>owner/name</c>.</summary>
    public string? Repository { get; set; }

    /// <summary>Jira: the project key.</summary>
    public string? Project { get; set; }

    /// <summary>Jira: the issue type's name (for example <c>Task</c>).</summary>
    public string? IssueType { get; set; }

    /// <summary>Jira: the account's email (basic auth with <see cref="Token"/>).</summary>
    public string? User { get; set; }

    /// <summary>The API token: a secret, from the environment; never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Jira: the name of the transition that takes an issue to done.</summary>
    public string? DoneTransition { get; set; }

    /// <summary>GitHub: the webhook's secret (HMAC-SHA256 of <c>X-Hub-Signature-256</c>); without it the webhook answers 404.</summary>
    public string? WebhookSecret { get; set; }

    public TrackerKind? ParsedKind => Kind?.Trim().ToLowerInvariant() switch
    {
        null or "" => TrackerKind.None,
        "github" => TrackerKind.GitHub,
        "jira" => TrackerKind.Jira,
        _ => null,
    };

    public bool IsEnabled => ParsedKind is TrackerKind.GitHub or TrackerKind.Jira;

    /// <summary>The API root with a final slash, for relative request paths.</summary>
    public Uri ApiRoot
    {
        get
        {
            var url = string.IsNullOrWhiteSpace(BaseUrl) ? DefaultGitHubBaseUrl : BaseUrl.Trim();
            return new Uri(url.EndsWith('/') ? url : url + "/");
        }
    }
}

public enum TrackerKind
{
    None,
    GitHub,
    Jira,
}

internal sealed class TrackerOptionsValidator : IValidateOptions<TrackerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackerOptions options)
    {
        const string S = TrackerOptions.Section;
        var kind = options.ParsedKind;
        if (kind is null)
        {
            return ValidateOptionsResult.Fail($"{S}:Kind must be GitHub or Jira, not '{options.Kind}'.");
        }

        if (kind == TrackerKind.None)
        {
            return ValidateOptionsResult.Success;
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUrl)
            && (!Uri.TryCreate(options.BaseUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)))
        {
            return ValidateOptionsResult.Fail($"{S}:BaseUrl must be an absolute https URL (http only to loopback), not '{options.BaseUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Token))
        {
            return ValidateOptionsResult.Fail($"{S}:Token must be set when {S}:Kind is {options.Kind} (set it from the environment: IncidentBot__FollowUps__Tracker__Token).");
        }

        return kind == TrackerKind.GitHub ? ValidateGitHub(options) : ValidateJira(options);
    }

    private static ValidateOptionsResult ValidateGitHub(TrackerOptions options)
    {
        const string S = TrackerOptions.Section;
        if (options.Repository?.Trim().Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            return ValidateOptionsResult.Fail($"{S}:Repository must be owner/name when {S}:Kind is GitHub, not '{options.Repository}'.");
        }

        foreach (var (key, value) in new[] { ("Project", options.Project), ("IssueType", options.IssueType), ("User", options.User), ("DoneTransition", options.DoneTransition) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return ValidateOptionsResult.Fail($"{S}:{key} is for Jira; remove it when {S}:Kind is GitHub.");
            }
        }

        if (options.WebhookSecret is { Length: > 0 } secret && secret.Trim().Length < 16)
        {
            return ValidateOptionsResult.Fail($"{S}:WebhookSecret must be at least 16 characters.");
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult ValidateJira(TrackerOptions options)
    {
        const string S = TrackerOptions.Section;
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            return ValidateOptionsResult.Fail($"{S}:BaseUrl must be the Jira site URL (https://<site>.atlassian.net) when {S}:Kind is Jira.");
        }

        foreach (var (key, value) in new[] { ("Project", options.Project), ("IssueType", options.IssueType), ("User", options.User), ("DoneTransition", options.DoneTransition) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return ValidateOptionsResult.Fail($"{S}:{key} must be set when {S}:Kind is Jira.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Repository) || !string.IsNullOrWhiteSpace(options.WebhookSecret))
        {
            return ValidateOptionsResult.Fail($"{S}:{(string.IsNullOrWhiteSpace(options.Repository) ? "WebhookSecret" : "Repository")} is for GitHub; remove it when {S}:Kind is Jira.");
        }

        return ValidateOptionsResult.Success;
    }
}
