using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.Alerts;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Host.Alerts;

/// <summary>A parsed notification and the labels its route is chosen by, or why the body was refused.</summary>
internal sealed record ParsedAlerts(AlertNotification? Notification, IReadOnlyDictionary<string, string> RouteLabels, string? Error)
{
    public static ParsedAlerts Refused(string error) => new(null, new Dictionary<string, string>(), error);
}

/// <summary>
/// Alertmanager's webhook (version 4) and Grafana's webhook contact point (version 1, the same envelope), to a
/// neutral <see cref="AlertNotification"/>. Unknown fields are ignored; a missing or mistyped field the intake needs
/// is refused with its name.
/// </summary>
internal static class AlertmanagerPayload
{
    public const int MaxTitleLength = 150;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = false };

    public static ParsedAlerts Parse(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> severityMap)
    {
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(body, Json);
        }
        catch (JsonException e)
        {
            return ParsedAlerts.Refused($"The body is not Alertmanager's webhook JSON ({Where(e)}).");
        }

        if (message is null)
        {
            return ParsedAlerts.Refused("The body is empty.");
        }

        var source = message.Version switch
        {
            "4" => "Alertmanager",
            "1" => "Grafana",
            null => null,
            _ => "",
        };
        if (string.IsNullOrEmpty(source))
        {
            return ParsedAlerts.Refused(source is null ? "version is required (Alertmanager sends \"4\")." : "Unknown version: this route takes Alertmanager's version \"4\" and Grafana's \"1\".");
        }

        if (string.IsNullOrWhiteSpace(message.GroupKey))
        {
            return ParsedAlerts.Refused("groupKey is required.");
        }

        if (ParseStatus(message.Status) is not { } status)
        {
            return ParsedAlerts.Refused("status must be \"firing\" or \"resolved\".");
        }

        if (message.Alerts is not { Count: > 0 } alerts)
        {
            return ParsedAlerts.Refused("alerts must hold at least one alert.");
        }

        var parsed = new List<Alert>(alerts.Count);
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            if (alert is null || ParseStatus(alert.Status) is not { } alertStatus)
            {
                return ParsedAlerts.Refused($"alerts[{i}].status must be \"firing\" or \"resolved\".");
            }

            if (alert.Labels is not { Count: > 0 } labels)
            {
                return ParsedAlerts.Refused($"alerts[{i}].labels must hold at least one label.");
            }

            if (alert.StartsAt is not { } startsAt)
            {
                return ParsedAlerts.Refused($"alerts[{i}].startsAt is required.");
            }

            parsed.Add(new Alert(
                string.IsNullOrWhiteSpace(alert.Fingerprint) ? Fingerprint(labels) : alert.Fingerprint,
                alertStatus,
                labels,
                alert.Annotations ?? [],
                startsAt,
                alertStatus == AlertStatus.Resolved ? alert.EndsAt : null,
                alert.GeneratorUrl));
        }

        var common = message.CommonLabels ?? [];
        var annotations = message.CommonAnnotations ?? [];
        var title = FirstText(annotations.GetValueOrDefault("summary"), common.GetValueOrDefault("alertname"), message.Title, $"Alerts from {message.Receiver ?? source}");
        var severity = common.TryGetValue("severity", out var label)
            ? AlertSeverities.Map(severityMap, label)
            : parsed.Where(a => a.Status == AlertStatus.Firing).Select(a => AlertSeverities.Map(severityMap, a.Labels.GetValueOrDefault("severity"))).DefaultIfEmpty(Severity.Sev3).Min();
        var notification = new AlertNotification(source, message.GroupKey, status, title, severity, parsed)
        {
            Link = message.ExternalUrl,
            TruncatedAlerts = message.TruncatedAlerts ?? 0,
        };
        return new ParsedAlerts(notification, common, null);
    }

    /// <summary>Alertmanager's alerts carry a fingerprint; a sender that leaves it out gets one from the label set.</summary>
    internal static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var canonical = string.Join('\n', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    internal static AlertStatus? ParseStatus(string? status) => status switch
    {
        "firing" => AlertStatus.Firing,
        "resolved" => AlertStatus.Resolved,
        _ => null,
    };

    /// <summary>The first non-blank text, on one line and clipped to <see cref="MaxTitleLength"/>.</summary>
    internal static string FirstText(params string?[] candidates)
    {
        return AlertMessages.Clip(candidates.First(c => !string.IsNullOrWhiteSpace(c))!.ReplaceLineEndings(" ").Trim(), MaxTitleLength);
    }

    /// <summary>Where the JSON broke, without quoting it (the body is the sender's, not for the log).</summary>
    internal static string Where(JsonException e) =>
        e.Path is { Length: > 0 } path ? $"at {path}" : e.LineNumber is { } line ? $"at line {line + 1}" : "not JSON";

    private sealed record Message(
        string? Version,
        string? GroupKey,
        string? Status,
        string? Receiver,
        Dictionary<string, string>? CommonLabels,
        Dictionary<string, string>? CommonAnnotations,
        string? ExternalUrl,
        List<MessageAlert?>? Alerts,
        int? TruncatedAlerts,
        string? Title);

    private sealed record MessageAlert(
        string? Status,
        Dictionary<string, string>? Labels,
        Dictionary<string, string>? Annotations,
        DateTimeOffset? StartsAt,
        DateTimeOffset? EndsAt,
        [property: JsonPropertyName("generatorURL")] string? GeneratorUrl,
        string? Fingerprint);
}

/// <summary>
/// The generic webhook for other sources (<c>POST /alerts/webhook</c>):
/// <c>{"title", "severity", "source", "dedupKey", "status", "details", "link", "labels", "startsAt"}</c>; see docs/ALERTS.md.
/// </summary>
internal static class WebhookAlertPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ParsedAlerts Parse(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> severityMap)
    {
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(body, Json);
        }
        catch (JsonException e)
        {
            return ParsedAlerts.Refused($"The body is not the webhook's JSON ({AlertmanagerPayload.Where(e)}).");
        }

        if (message is null)
        {
            return ParsedAlerts.Refused("The body is empty.");
        }

        if (string.IsNullOrWhiteSpace(message.Title))
        {
            return ParsedAlerts.Refused("title is required.");
        }

        if (string.IsNullOrWhiteSpace(message.DedupKey))
        {
            return ParsedAlerts.Refused("dedupKey is required: notifications with the same key while its incident is open add to that incident.");
        }

        if (AlertmanagerPayload.ParseStatus(message.Status ?? "firing") is not { } status)
        {
            return ParsedAlerts.Refused("status must be \"firing\" or \"resolved\" (default firing).");
        }

        if (message.Link is { Length: > 0 } link && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            return ParsedAlerts.Refused("link must be an http or https URL.");
        }

        var source = string.IsNullOrWhiteSpace(message.Source) ? "Webhook" : AlertmanagerPayload.FirstText(message.Source);
        var title = AlertmanagerPayload.FirstText(message.Title);
        var labels = new Dictionary<string, string>(message.Labels ?? [], StringComparer.Ordinal) { ["alertname"] = title, ["source"] = source };
        if (message.Severity is { Length: > 0 } severityLabel)
        {
            labels["severity"] = severityLabel;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message.Details is { Length: > 0 } details)
        {
            annotations["description"] = details;
        }

        var alert = new Alert(message.DedupKey, status, labels, annotations, message.StartsAt, status == AlertStatus.Resolved ? message.EndsAt : null, message.Link);
        var notification = new AlertNotification(source, message.DedupKey, status, title, AlertSeverities.Map(severityMap, message.Severity), [alert]) { Link = message.Link };
        return new ParsedAlerts(notification, labels, null);
    }

    private sealed record Message(
        string? Title,
        string? Severity,
        string? Source,
        string? DedupKey,
        string? Status,
        string? Details,
        string? Link,
        Dictionary<string, string>? Labels,
        DateTimeOffset? StartsAt,
        DateTimeOffset? EndsAt);
}
