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

/// <summary>Slack did not answer within <see cref="Timeout"/> (SlackOptions.RequestTimeout): worth retrying.</summary>
public sealed class SlackTimeoutException(string method, TimeSpan timeout, Exception inner)
    : Exception($"{method}: timed out after {timeout.TotalSeconds:0.###}s", inner)
{
    public string Method { get; } = method;

    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>Which failures of a Web API call are worth trying again (Slack's transient codes, 429, 5xx, timeouts, the network).</summary>
public static class SlackFailures
{
    private static readonly HashSet<string> TransientErrors = new(StringComparer.Ordinal)
    {
        "internal_error", "fatal_error", "request_timeout", "ratelimited", "service_unavailable",
    };

    public static bool IsTransient(Exception exception) => exception switch
    {
        SlackRateLimitedException or SlackTimeoutException or HttpRequestException => true,
        SlackHttpException e => e.StatusCode is >= 500 or 408,
        SlackApiException e => TransientErrors.Contains(e.Error),
        _ => false,
    };

    /// <summary>Slack answered, and trying again will get the same answer (channel gone, scope missing).</summary>
    public static bool IsPermanent(Exception exception) =>
        exception is SlackApiException or SlackHttpException && !IsTransient(exception);
}
