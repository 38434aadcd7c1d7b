using System.Net;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>Follow-ups on Slack end to end: typed commands, the follow-up message's buttons, and bad input answered privately.</summary>
public sealed class SlackFollowUpTests : SlackBotFixture
{
    [Test]
    public async Task FollowUp_EveryCommandAndBothButtons_OneMessageUpdatedForEveryone()
    {
        var (channel, _, incidentId) = await DeclareAsync();

        Assert.That(await AnswerAsync("followup Alert on queue depth <@U2|grace> due:2026-12-24", channel), Does.Contain("Follow-up 1 added to INC-1"));
        Assert.That(await Poll.UntilAsync(() => FollowUpMessage(1) is not null), Is.True, "the follow-up message is posted in the incident channel");
        var message = FollowUpMessage(1)!;
        Assert.That(message.Channel, Is.EqualTo(channel));
        Assert.That(message.Blocks!.ToJsonString(), Does.Contain("Alert on queue depth").And.Contain("grace").And.Contain("2026-12-24").And.Contain("followup.assign_me:1"));

        Assert.That(await AnswerAsync("followups", channel), Does.Contain("*1* Alert on queue depth | grace | due 2026-12-24 | open"));

        using (var assign = await ClickAsync("followup.assign_me:1", incidentId, channel, "U1"))
        {
            Assert.That(assign.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await Poll.UntilAsync(() => Current(message.Ts).Contains("U1", StringComparison.Ordinal)), Is.True, "the clicker owns it now");
        Assert.That(await AnswerAsync("followup due 1 2027-01-15", channel), Does.Contain("due 2027-01-15"));
        Assert.That(await Poll.UntilAsync(() => Current(message.Ts).Contains("2027-01-15", StringComparison.Ordinal)), Is.True);

        using (var done = await ClickAsync("followup.done:1", incidentId, channel, "U2"))
        {
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await Poll.UntilAsync(() => !Current(message.Ts).Contains("followup.done:1", StringComparison.Ordinal) && Current(message.Ts).Contains("done", StringComparison.Ordinal)), Is.True, "done: the buttons are gone for everyone");

        Assert.That(await AnswerAsync("followup Retire the old queue", channel), Does.Contain("Follow-up 2 added"));
        Assert.That(await AnswerAsync("followup assign 2 <@U2|grace>", channel), Does.Contain("Follow-up 2 is now"));
        Assert.That(await AnswerAsync("followup drop 2 replaced by follow-up 1", channel), Does.Contain("Follow-up 2 is dropped"));
        Assert.That(await Poll.UntilAsync(() => FollowUpMessage(2) is { } m && Current(m.Ts).Contains("replaced by follow-up 1", StringComparison.Ordinal)), Is.True);

        var kinds = await TimelineKindsAsync(1);
        Assert.That((kinds.Count(k => k == "FollowUpAdded"), kinds.Count(k => k == "FollowUpChanged")), Is.EqualTo((2, 5)));
    }

    [Test]
    public async Task FollowUp_BadInput_PrivateAnswerAndNothingChanged()
    {
        var (channel, _, _) = await DeclareAsync();
        Assert.That(await AnswerAsync("followup Alert on queue depth", channel), Does.Contain("Follow-up 1 added"));

        Assert.That(await AnswerAsync("followup done 99", channel), Does.Contain("INC-1 has no follow-up 99"));
        Assert.That(await AnswerAsync("followup drop 1", channel), Does.Contain("reason"));
        Assert.That(await AnswerAsync("followup due 1 next-week", channel), Does.Contain("YYYY-MM-DD"));
        Assert.That(await AnswerAsync("followup add it due:someday", channel), Does.Contain("YYYY-MM-DD"));

        // Another incident's follow-up is not this one's.
        var (other, _, _) = await DeclareAsync("Search slow sev3");
        Assert.That(await AnswerAsync("followup done 1", other), Does.Contain("INC-2 has no follow-up 1"));

        Assert.That((await TimelineKindsAsync(1)).Count(k => k.StartsWith("FollowUp", StringComparison.Ordinal)), Is.EqualTo(1), "only the add");
        Assert.That((await TimelineKindsAsync(2)).Count(k => k.StartsWith("FollowUp", StringComparison.Ordinal)), Is.Zero);
    }

    [Test]
    public async Task ReviewAndClose_OpenFollowUpsHoldTheCloseUnlessAsked_ClosedSaysDeclareANewOne()
    {
        var (channel, headerTs, _) = await DeclareAsync();
        await AnswerAsync("followup Alert on queue depth", channel);
        await AnswerAsync("resolve", channel);

        Assert.That(await AnswerAsync("close", channel), Does.Contain("not reviewed yet"));
        Assert.That(await AnswerAsync("review", channel), Does.Contain("INC-1 is now Reviewed"));
        Assert.That(await AnswerAsync("reopen", channel), Does.Contain("declare a new incident"));
        Assert.That(await AnswerAsync("close", channel), Does.Contain("1 follow-up open: 1").And.Contain("--with-open-followups"));
        Assert.That(await AnswerAsync("close --with-open-followups", channel), Does.Contain("INC-1 is now Closed"));
        Assert.That(await AnswerAsync("reopen", channel), Does.Contain("INC-1 is closed").And.Contain("declare a new incident"));

        Assert.That(await Poll.UntilAsync(() => Slack.TopicOf(channel)?.Contains("Closed (post-incident)", StringComparison.Ordinal) == true), Is.True, "the topic shows the post-incident state");
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Single(m => m.Ts == headerTs).Blocks!.ToJsonString().Contains("Reviewed", StringComparison.Ordinal)), Is.True, "the header shows the review");
        var incident = await ApiAsync("/api/incidents/1");
        Assert.That(incident.GetProperty("state").GetString(), Is.EqualTo("Closed"));
        Assert.That(incident.GetProperty("reviewedBy").GetProperty("id").GetString(), Is.EqualTo("U1"));
        Assert.That(incident.GetProperty("timeToCloseSeconds").GetDouble(), Is.GreaterThanOrEqualTo(incident.GetProperty("timeToReviewSeconds").GetDouble()));
        Assert.That((await TimelineTextsAsync(1, "StateChanged")).Last(), Does.Contain("still tracked: 1 Alert on queue depth"));
        Assert.That(await AnswerAsync("followup done 1", channel), Does.Contain("Follow-up 1 is done"), "a follow-up left open is still tracked after the close");
    }

    private async Task<string> AnswerAsync(string command, string channel)
    {
        using var response = await CommandAsync(command, channel);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private Testing.Slack.FakeSlackMessage? FollowUpMessage(int number) =>
        Slack.Messages.FirstOrDefault(m => m.Blocks?.ToJsonString().Contains($"Follow-up {number} (INC-", StringComparison.Ordinal) == true);

    private string Current(string ts) => Slack.Messages.Single(m => m.Ts == ts).Blocks!.ToJsonString();
}
