namespace IncidentBot.Slack.WebApi;

/// <summary>Slack answered <c>ok: false</c>; <see cref="Error"/> is Slack's error code.</summary>
public sealed class SlackApiException(string method, string error, string? needed = null)
    : Exception($"{method}: {error}{(needed is null ? "" : $" (needs {needed})")}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    public string? Needed { get; } = needed;
}

/// <summary>HTTP 429: Slack asks to wait <see cref="RetryAfter"/> before calling again.</summary>
public sealed class SlackRateLimitedException(string method, TimeSpan? retryAfter)
    : Exception($"{method}: rate limited{(retryAfter is { } r ? $", retry after {r.TotalSeconds:0}s" : "")}")
{
    public string Method { get; } = method;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A non-2xx status (other than 429) or a body that is not Slack's JSON.</summary>
public sealed class SlackHttpException(string method, int statusCode, string detail)
    : Exception($"{method}: HTTP {statusCode} {detail}")
{
    public string Method { get; } = method;

    public int StatusCode { get; } = statusCode;
}
