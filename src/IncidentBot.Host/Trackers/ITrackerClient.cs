using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Trackers;

/// <summary>An issue the tracker created: the key its API takes (GitHub's number, Jira's key) and the link for people.</summary>
public sealed record TrackerIssue(string Key, string Url);

/// <summary>One tracker's REST calls; failures as delivery results, so the dispatcher retries what is worth retrying.</summary>
public interface ITrackerClient
{
    Task<(DeliveryResult Result, TrackerIssue? Issue)> CreateAsync(string title, string body, CancellationToken cancellationToken);

    /// <summary>Closes the issue: as completed (done) or as not planned (dropped).</summary>
    Task<DeliveryResult> CloseAsync(string key, bool completed, CancellationToken cancellationToken);
}

/// <summary>HTTP answers to delivery results: 2xx ok; 408, 429, 5xx and a rate-limited 403 worth retrying (after Retry-After); other 4xx never succeed.</summary>
internal static class TrackerResponses
{
    public static DeliveryResult Classify(HttpResponseMessage response, TimeProvider clock)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return DeliveryResult.Ok;
        }

        var retryAfter = RetryAfter(response, clock);
        var rateLimited = response.StatusCode == HttpStatusCode.Forbidden
            && (retryAfter is not null || Header(response, "x-ratelimit-remaining") == "0");
        if (status is 408 or 429 or >= 500 || rateLimited)
        {
            return new TransientFailure(string.Create(CultureInfo.InvariantCulture, $"tracker answered {status}"), retryAfter);
        }

        return new PermanentFailure(string.Create(CultureInfo.InvariantCulture, $"tracker answered {status}"));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider clock)
    {
        if (response.Headers.RetryAfter is RetryConditionHeaderValue after)
        {
            if (after.Delta is { } delta)
            {
                return delta;
            }

            if (after.Date is { } date)
            {
                var wait = date - clock.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (Header(response, "x-ratelimit-remaining") == "0"
            && long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
