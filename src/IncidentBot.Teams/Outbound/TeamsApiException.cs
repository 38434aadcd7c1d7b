namespace IncidentBot.Teams.Outbound;

/// <summary>
/// A Bot Connector, Graph or token endpoint call failed. <see cref="StatusCode"/> is the HTTP status (0 when
/// no response came back), <see cref="ErrorCode"/> the <c>error.code</c> of the body when it had one.
/// </summary>
public sealed class TeamsApiException(string operation, int statusCode, string? errorCode, TimeSpan? retryAfter = null, string? detail = null)
    : Exception(Describe(operation, statusCode, errorCode, retryAfter, detail))
{
    public string Operation { get; } = operation;

    public int StatusCode { get; } = statusCode;

    public string? ErrorCode { get; } = errorCode;

    /// <summary>How long the service asked us to wait (HTTP 429 / 503 <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// Worth retrying: throttling (429), 412 (Teams asks to retry it, see the rate-limit doc), timeouts (408),
    /// server errors, and no response at all.
    /// </summary>
    public bool IsTransient => StatusCode is 0 or 408 or 412 or 429 or >= 500;

    private static string Describe(string operation, int statusCode, string? errorCode, TimeSpan? retryAfter, string? detail)
    {
        var text = statusCode == 0 ? $"{operation}: failed" : $"{operation}: HTTP {statusCode}";
        if (!string.IsNullOrEmpty(errorCode))
        {
            text += $" {errorCode}";
        }

        if (!string.IsNullOrEmpty(detail))
        {
            text += $" ({detail})";
        }

        return retryAfter is { } wait ? $"{text}, retry after {wait.TotalSeconds:0}s" : text;
    }
}
