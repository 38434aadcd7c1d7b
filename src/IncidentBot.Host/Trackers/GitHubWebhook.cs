using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Trackers;

/// <summary>
/// <c>POST /trackers/github/webhook</c>, GitHub's <c>issues</c> events: <c>closed</c> marks the follow-up done,
/// <c>reopened</c> opens it again. The signature (<c>X-Hub-Signature-256</c>) is checked over the raw body in constant
/// time before anything is read; a delivery (<c>X-GitHub-Delivery</c>, the same on a redelivery) changes at most once.
/// </summary>
internal sealed partial class GitHubWebhook(IOptions<TrackerOptions> options, IncidentService service, ILogger<GitHubWebhook> logger)
{
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly byte[]? _secret = options.Value is { ParsedKind: TrackerKind.GitHub, WebhookSecret: { Length: > 0 } secret }
        ? Encoding.UTF8.GetBytes(secret)
        : null;

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (_secret is null)
        {
            return TypedResults.NotFound();
        }

        var body = await Alerts.AlertIntake.ReadLimitedAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Refused(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
        }

        if (!SignatureMatches(_secret, body, http.Request.Headers["X-Hub-Signature-256"].ToString()))
        {
            return Refused(StatusCodes.Status401Unauthorized, "X-Hub-Signature-256 is missing or does not match the body.");
        }

        var delivery = http.Request.Headers["X-GitHub-Delivery"].ToString();
        if (string.IsNullOrWhiteSpace(delivery))
        {
            return Refused(StatusCodes.Status400BadRequest, "X-GitHub-Delivery is missing.");
        }

        if (http.Request.Headers["X-GitHub-Event"].ToString() != "issues")
        {
            // ping and every other event: accepted, nothing to do.
            return TypedResults.Ok(new { result = "ignored" });
        }

        if (Parse(body) is not { } parsed)
        {
            return Refused(StatusCodes.Status400BadRequest, "The body is not an issues event (action and issue.html_url are required).");
        }

        if (parsed.Action is not ("closed" or "reopened") || Marker(parsed.Body) is not { } target)
        {
            return TypedResults.Ok(new { result = "ignored" });
        }

        var eventId = "github-delivery:" + delivery;
        if (!await service.IsNewInboundAsync(eventId, cancellationToken))
        {
            return TypedResults.Ok(new { result = "duplicate" });
        }

        var changed = await service.TrackerIssueChangedAsync(target.IncidentId, target.Number, parsed.HtmlUrl, parsed.Action == "closed",
            parsed.Sender ?? "GitHub", eventId, cancellationToken);
        Log.TrackerWebhook(logger, parsed.Action, target.IncidentId, target.Number, changed);
        return TypedResults.Ok(new { result = changed ? "changed" : "unchanged" });
    }

    private Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refused(int status, string reason)
    {
        Log.TrackerWebhookRefused(logger, status, reason);
        return TypedResults.Problem(statusCode: status, title: reason);
    }

    /// <summary><c>sha256=</c> and the hex HMAC-SHA256 of the body with the secret, compared in constant time.</summary>
    internal static bool SignatureMatches(byte[] secret, byte[] body, string header)
    {
        const string Prefix = "sha256=";
        if (!header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(secret, body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private sealed record IssuesEvent(string Action, string HtmlUrl, string? Body, string? Sender);

    private static IssuesEvent? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("issue", out var issue) || issue.ValueKind != JsonValueKind.Object
                || !issue.TryGetProperty("html_url", out var url) || url.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var text = issue.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            var sender = root.TryGetProperty("sender", out var s) && s.ValueKind == JsonValueKind.Object
                && s.TryGetProperty("login", out var login) && login.ValueKind == JsonValueKind.String ? login.GetString() : null;
            return new IssuesEvent(action.GetString()!, url.GetString()!, text, sender);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (long IncidentId, int Number)? Marker(string? body) =>
        body is not null && MarkerPattern().Match(body) is { Success: true } m
        && long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var incident)
        && int.TryParse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (incident, number)
            : null;

    [GeneratedRegex(@"<!-- incidentbot:followup incident=(\d{1,18}) number=(\d{1,9}) -->", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();
}
