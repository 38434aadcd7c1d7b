using IncidentBot.Core.Incidents;
using IncidentBot.Slack.Inbound;
using IncidentBot.Teams.Inbound;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Alerts;

/// <summary>Section <c>IncidentBot:Alerts</c>: alerts that open incidents. No tokens: intake is off (404).</summary>
public sealed class AlertsOptions
{
    public const string Section = "IncidentBot:Alerts";

    /// <summary>Bearer tokens senders present (Alertmanager's <c>http_config.authorization.credentials</c>).</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>Label routes to a platform and workspace; the first match wins, an entry without <c>Match</c> is the default.</summary>
    public List<AlertRouteOptions> Routes { get; set; } = [];

    /// <summary>The <c>severity</c> label's value to the incident's severity (case-insensitive); unmapped values give Sev3.</summary>
    public Dictionary<string, string> SeverityMap { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["critical"] = "Sev2",
        ["warning"] = "Sev3",
    };

    /// <summary>Largest body accepted, in bytes; a larger one is 413.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    public bool IsEnabled => Tokens.Any(t => !string.IsNullOrWhiteSpace(t));
}

/// <summary>One entry of <c>Alerts:Routes</c>.</summary>
public sealed class AlertRouteOptions
{
    /// <summary>Label name to value; all must match. Empty: matches every group (the default route).</summary>
    public Dictionary<string, string> Match { get; set; } = [];

    /// <summary><c>Slack</c> or <c>Teams</c>.</summary>
    public string? Platform { get; set; }

    /// <summary>Slack team id or Teams tenant id.</summary>
    public string? WorkspaceId { get; set; }

    /// <summary>Where the declaration is announced instead of the platform's announcement channel.</summary>
    public string? AnnouncementChannel { get; set; }

    /// <summary>A platform user id: the on-call person who commands from the start (else unassigned until someone acknowledges).</summary>
    public string? Commander { get; set; }

    /// <summary>The commander's display name; the id when not given.</summary>
    public string? CommanderName { get; set; }

    /// <summary>The adapter's platform name for <see cref="Platform"/>, or null when it names none.</summary>
    public string? PlatformName => Platform?.Trim().ToLowerInvariant() switch
    {
        "slack" => SlackPlatformName.Value,
        "teams" => TeamsPlatformName.Value,
        _ => null,
    };
}

internal sealed class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
    private const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        const string S = AlertsOptions.Section;
        if (options.Tokens.Any(t => !string.IsNullOrEmpty(t) && t.Trim().Length < MinimumTokenLength))
        {
            return ValidateOptionsResult.Fail($"{S}:Tokens entries must be at least {MinimumTokenLength} characters.");
        }

        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            return ValidateOptionsResult.Fail($"{S}:MaxBodyBytes must be between 1024 and 16777216.");
        }

        foreach (var (label, severity) in options.SeverityMap)
        {
            if (AlertSeverities.Parse(severity) is null)
            {
                return ValidateOptionsResult.Fail($"{S}:SeverityMap:{label} must be Sev1, Sev2, Sev3 or Sev4, not '{severity}'.");
            }
        }

        if (options.IsEnabled && options.Routes.Count == 0)
        {
            return ValidateOptionsResult.Fail($"{S}:Routes must have at least one entry when {S}:Tokens is set (for example {S}:Routes:0:Platform=Slack and {S}:Routes:0:WorkspaceId=T0001).");
        }

        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            if (route.PlatformName is null)
            {
                return ValidateOptionsResult.Fail($"{S}:Routes:{i}:Platform must be Slack or Teams, not '{route.Platform}'.");
            }

            if (string.IsNullOrWhiteSpace(route.WorkspaceId))
            {
                return ValidateOptionsResult.Fail($"{S}:Routes:{i}:WorkspaceId must name the Slack team id or Teams tenant id.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}

/// <summary>Severity label values to severities.</summary>
internal static class AlertSeverities
{
    public static Severity? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "sev1" or "1" => Severity.Sev1,
        "sev2" or "2" => Severity.Sev2,
        "sev3" or "3" => Severity.Sev3,
        "sev4" or "4" => Severity.Sev4,
        _ => null,
    };

    /// <summary>The map's severity for a label value; a value that names a severity itself (<c>sev1</c>) is taken as it is; otherwise Sev3.</summary>
    public static Severity Map(IReadOnlyDictionary<string, string> map, string? label) =>
        label is null ? Severity.Sev3
        : map.TryGetValue(label.Trim(), out var mapped) && Parse(mapped) is { } severity ? severity
        : Parse(label) ?? Severity.Sev3;
}
