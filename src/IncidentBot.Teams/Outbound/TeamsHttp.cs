using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Outbound;

/// <summary>The HTTP plumbing the Bot Connector and Graph clients share: bearer calls, one 401 retry, error reading.</summary>
internal static class TeamsHttp
{
    /// <summary>Error detail longer than this is cut, so a chatty error page cannot flood the outbox record.</summary>
    private const int DetailMax = 200;

    /// <summary>
    /// Sends a request built by <paramref name="build"/> with a bearer token for <paramref name="scope"/>. A 401
    /// drops the cached token and sends once more with a fresh one (a token revoked or rotated early).
    /// Returns the successful response (the caller disposes it); throws <see cref="TeamsApiException"/> otherwise.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, BotTokenProvider tokens, string scope, TimeProvider time, string operation, Func<HttpRequestMessage> build, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            if (!tokens.IsAnonymous(request.RequestUri))
            {
                // After a 401, TokenRejected below makes this call fetch a new token.
                var token = await tokens.GetTokenAsync(scope, forceRefresh: false, ct);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
                {
                    tokens.TokenRejected(scope, operation);
                    continue;
                }

                throw await FailureAsync(operation, response, time, ct);
            }
        }
    }

    /// <summary>A base address that relative paths extend (a Uri without the final slash would replace its last segment).</summary>
    public static string WithTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";

    public static StringContent Json(JsonNode body)
    {
        var content = new StringContent(TeamsJson.Serialize(body), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The body as a JSON object, or null when there is none or it is not JSON (the Playground answers 202 without a body).</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonObject? body, string name) =>
        body?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static async Task<TeamsApiException> FailureAsync(string operation, HttpResponseMessage response, TimeProvider time, CancellationToken ct)
    {
        var body = await ReadObjectAsync(response, ct);
        var error = body?["error"] as JsonObject;
        var code = String(error, "code");
        var message = String(error, "message");
        if (message is { Length: > DetailMax })
        {
            message = message[..DetailMax];
        }

        return new TeamsApiException(operation, (int)response.StatusCode, code, RetryAfter(response, time), message);
    }

    /// <summary>Retry-After as a delay: seconds, or an HTTP date measured against the injected clock.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
