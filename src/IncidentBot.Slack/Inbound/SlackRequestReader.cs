using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
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
internal sealed class SlackRequestReader(SlackSignatureVerifier verifier, ILogger<SlackRequestReader> logger)
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

    /// <summary>Reads and verifies the request, then answers it with <paramref name="answer"/>: the HTTP side of every Slack route.</summary>
    public async Task<IResult> AnswerAsync(HttpRequest http, Func<SlackRequest, Task<SlackAnswer>> answer, CancellationToken cancellationToken)
    {
        var (request, rejection) = await ReadAsync(http, cancellationToken);
        return request is null ? rejection! : (await answer(request)).ToResult();
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
