using System.Net;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>Slack:ArchiveChannelAfter end to end: a closed incident's channel archived on the fake Slack, the notice first.</summary>
public sealed class SlackArchiveTests : SlackBotFixture
{
    protected override Dictionary<string, string> ExtraSettings() => new() { ["IncidentBot__Slack__ArchiveChannelAfter"] = "00:00:01" };

    private async Task SayAsync(string channel, params string[] commands)
    {
        foreach (var command in commands)
        {
            using var response = await CommandAsync(command, channel);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Close_AfterTheDelay_NoticeThenConversationsArchive_Once_ResolvedChannelKept()
    {
        var (resolved, _, _) = await DeclareAsync("Search slow sev3");
        await SayAsync(resolved, "resolve");
        var (closed, _, _) = await DeclareAsync();
        await SayAsync(closed, "resolve", "review", "close");

        Assert.That(await Poll.UntilAsync(() => Slack.IsArchived(closed), TimeSpan.FromSeconds(30)), Is.True, "archived after the delay");
        var notice = Slack.Messages.Where(m => m.Channel == closed).Last();
        Assert.That(notice.Text, Does.Contain("This channel will be archived").And.Contain("INC-2"), "the notice is the channel's last message");
        Assert.That(await Poll.SettledAsync(() => Slack.CallsTo("conversations.archive").Count), Is.EqualTo(1), "once");
        Assert.That(Slack.CallsTo("conversations.archive").Single().Arg("channel"), Is.EqualTo(closed));
        Assert.That(Slack.IsArchived(resolved), Is.False, "only closed incidents");
    }
}
