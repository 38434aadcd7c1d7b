using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// Issue 11 §6 through the real bot on SQLite over signed HTTP: eight people typing status updates into one
/// incident at once are never told to try again, and every update is on the timeline.
/// </summary>
public sealed class ConcurrentWriterTests : SlackBotFixture
{
    [Test]
    public async Task EightSendersTwoHundredUpdatesOneIncident_NoneToldToTryAgain_AllOnTheTimeline()
    {
        var (channel, _, _) = await DeclareAsync("Checkout errors sev2");

        var answers = await SendConcurrentlyAsync(channel, writers: 8, count: 200, i => $"update rollout step {i:D3}", Bot);

        Assert.That(answers.Where(a => !a.Contains("Status update posted on INC-1", StringComparison.Ordinal)), Is.Empty,
            "every sender told the update was posted; nobody told to try again");
        Assert.That(await TimelineTextsAsync(1, "StatusUpdate"), Is.EquivalentTo(Enumerable.Range(0, 200).Select(i => $"rollout step {i:D3}")),
            "each update once on the timeline");
    }
}
