using System.Text;
using IncidentBot.Slack.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace IncidentBot.Slack.Inbound;

/// <summary>A verified request: its raw body, and its form fields when it is form-encoded.</summary>
internal sealed record SlackRequest(byte[] Body, Dictionary<string, StringValues> Form)
{
    public string Field(string name) => Form.TryGetValue(name, out var value) ? value.ToString() : "";

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Reads the raw body under a size limit and verifies Slack's signature over those exact bytes
/// before anything is parsed; answers 413 / 401 / 403 itself.
/// </summary>
internal sealed class SlackRequestReader(SlackSignatureVerifier verifier, IOptions<SlackOptions> options, ILogger<SlackRequestReader> logger)
{
    /// <summary>View submissions carry whole modals; nothing legitimate is near this size.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    public async Task<(SlackRequest? Request, IResult? Rejection)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.ContentLength > MaxBodyBytes)
        {
            return (null, Reject(StatusCodes.Status413PayloadTooLarge, "body too large"));
        }

        var body = await ReadCappedAsync(http.Body, cancellationToken);
        if (body is null)
        {
            return (null, Reject(StatusCodes.Status413PayloadTooLarge, "body too large"));
        }

        var form = IsForm(http) ? QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)) : [];
        if (form.TryGetValue("ssl_check", out var check) && check == "1")
        {
            // Slack's ssl_check probe, signed or not, gets an empty 200 and nothing else: it only asks
            // whether TLS works, and answering it changes nothing and reveals nothing.
            return (null, Results.Ok());
        }

        if (!verifier.IsValid(http.Headers["X-Slack-Request-Timestamp"], http.Headers["X-Slack-Signature"], body))
        {
            return (null, Reject(StatusCodes.Status401Unauthorized, "bad or stale signature"));
        }

        return (new SlackRequest(body, form), null);
    }

    /// <summary>403 when the workspace is not in <c>Slack:AllowedTeamIds</c> (when that list is set).</summary>
    public IResult? CheckTeam(string? teamId)
    {
        var allowed = options.Value.AllowedTeamIds;
        return allowed.Count == 0 || (teamId is not null && allowed.Contains(teamId))
            ? null
            : Reject(StatusCodes.Status403Forbidden, "workspace not allowed");
    }

    public IResult BadRequest(string reason)
    {
        Log.Refused(logger, reason);
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: reason);
    }

    private IResult Reject(int status, string reason)
    {
        Log.Refused(logger, reason);
        return Results.Problem(statusCode: status, title: reason);
    }

    private static bool IsForm(HttpRequest http) =>
        http.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<byte[]?> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
