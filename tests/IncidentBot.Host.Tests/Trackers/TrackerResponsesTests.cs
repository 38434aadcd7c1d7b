using System.Net;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Trackers;
using IncidentBot.Testing;

namespace IncidentBot.Host.Tests.Trackers;

/// <summary>Which tracker answers are retried (and after how long) and which are given up on (GITHUB_ISSUES.md §4, JIRA.md §5).</summary>
public sealed class TrackerResponsesTests
{
    private static DeliveryResult Classify(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return TrackerResponses.Classify(response, TestClock.Create());
    }

    [Test]
    public void Rate_limits_and_server_errors_are_retried_after_what_the_tracker_asked()
    {
        Assert.That(Classify(HttpStatusCode.TooManyRequests, ("Retry-After", "30")), Is.EqualTo(new TransientFailure("tracker answered 429", TimeSpan.FromSeconds(30))));
        Assert.That(Classify(HttpStatusCode.ServiceUnavailable), Is.EqualTo(new TransientFailure("tracker answered 503")));

        // GitHub's primary limit: 403 with x-ratelimit-remaining 0, waited out until x-ratelimit-reset.
        var reset = TestClock.Create().GetUtcNow().AddMinutes(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Classify(HttpStatusCode.Forbidden, ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset)),
            Is.EqualTo(new TransientFailure("tracker answered 403", TimeSpan.FromMinutes(2))));
    }

    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.Gone)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    [TestCase(HttpStatusCode.Unauthorized)]
    public void Other_client_errors_are_given_up_on(HttpStatusCode status) =>
        Assert.That(Classify(status), Is.InstanceOf<PermanentFailure>());
}
