using System.Net;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests;

/// <summary>The Events API: pins, the capture reaction and joins become timeline entries; redeliveries and Slack's refusals.</summary>
public sealed class SlackEventTests : SlackBotFixture
{
    [Test]
    public async Task Events_PinReactionJoin_BecomeTimelineEntries_RedeliveryIsNoOp()
    {
        var (channel, _, _) = await DeclareAsync();
        Slack.NameUser("U7", "Grace Hopper", displayName: "grace");
        Slack.NameUser("U8", "Ada Lovelace");
        Slack.ForgetUser("U5");
        var pinnedTs = Slack.SeedMessage(channel, "DB failover started at 10:02", "U7");
        var reactedTs = Slack.SeedMessage(channel, "Customer impact confirmed in EU", "U8");

        var pin = Sample("events", "PinAddedPayload.json");
        pin["team_id"] = "T1";
        pin["event_id"] = "Ev0PIN";
        pin["event"]!["channel_id"] = channel;
        pin["event"]!["item"]!["channel"] = channel;
        pin["event"]!["item"]!["message"]!["text"] = "DB failover started at 10:02";
        pin["event"]!["item"]!["message"]!["user"] = "U7";
        pin["event"]!["item"]!["message"]!["ts"] = pinnedTs;

        var reaction = Reaction("Ev0REACT", channel, reactedTs);

        var join = Sample("events", "MemberJoinedChannelPayload.json");
        join["team_id"] = "T1";
        join["event_id"] = "Ev0JOIN";
        join["event"]!["channel"] = channel;
        join["event"]!["user"] = "U5";
        join["event"]!["event_ts"] = "1700000100.000100";

        foreach (var e in new[] { pin, reaction, join, pin, reaction })
        {
            Assert.That(await EventAsync(e), Is.EqualTo(HttpStatusCode.OK));
        }

        var timeline = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray().ToList();
        var pinned = timeline.Single(e => e.GetProperty("kind").GetString() == "MessagePinned");
        Assert.That(pinned.GetProperty("text").GetString(), Is.EqualTo("DB failover started at 10:02"));
        Assert.That(pinned.GetProperty("actor").GetProperty("id").GetString(), Is.EqualTo("U7"));
        Assert.That(pinned.GetProperty("actor").GetProperty("name").GetString(), Is.EqualTo("grace"), "the display name, as Slack shows it");
        Assert.That(pinned.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(long.Parse(pinnedTs.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)).AddTicks(1000)));
        Assert.That(timeline.Single(e => e.GetProperty("kind").GetString() == "MessageReacted").GetProperty("text").GetString(), Is.EqualTo("Customer impact confirmed in EU"));
        var reacted = timeline.Single(e => e.GetProperty("kind").GetString() == "MessageReacted");
        Assert.That(reacted.GetProperty("actor").GetProperty("name").GetString(), Is.EqualTo("Ada Lovelace"), "the real name when there is no display name");
        var joined = timeline.Single(e => e.GetProperty("kind").GetString() == "ParticipantJoined");
        Assert.That(joined.GetProperty("text").GetString(), Is.EqualTo("U5 joined the incident channel."), "a user Slack does not know keeps its id");

        // The timeline's own de-duplication would hide a redelivery that was processed again; Slack's reads do not.
        Assert.That(Slack.CallsTo("conversations.history"), Has.Count.EqualTo(1), "the redelivered reaction (same event_id) was not processed again");
    }

    [Test]
    public async Task Events_OtherEmojiOrOtherChannel_Ignored()
    {
        await DeclareAsync();

        Assert.That(await EventAsync(Reaction("Ev0OTHER", "CRANDOM", "1.2", emoji: "tada")), Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await TimelineKindsAsync(1), Is.EqualTo(new[] { "Declared" }));
    }

    [Test]
    public async Task Events_CaptureReactionOutsideIncidentChannels_IgnoredWithoutAskingSlack()
    {
        await DeclareAsync();
        var ts = Slack.SeedMessage("CRANDOM", "lunch?", "U4");

        Assert.That(await EventAsync(Reaction("Ev0ELSEWHERE", "CRANDOM", ts)), Is.EqualTo(HttpStatusCode.OK));

        Assert.That(Slack.Calls.Where(c => c.Method is "conversations.history" or "conversations.replies"), Is.Empty);
        Assert.That(await TimelineKindsAsync(1), Is.EqualTo(new[] { "Declared" }));
    }

    [Test]
    public async Task Events_ReactionOnAThreadReply_CapturedFromTheThread()
    {
        var (channel, _, _) = await DeclareAsync();
        var parent = Slack.SeedMessage(channel, "Who owns the payments DB?", "U7");
        var reply = Slack.SeedMessage(channel, "Team Ledger; paging them now", "U8", threadTs: parent);

        Assert.That(await EventAsync(Reaction("Ev0THREAD", channel, reply)), Is.EqualTo(HttpStatusCode.OK));

        var reacted = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "MessageReacted");
        Assert.That(reacted.GetProperty("text").GetString(), Is.EqualTo("Team Ledger; paging them now"));
        Assert.That(reacted.GetProperty("actor").GetProperty("id").GetString(), Is.EqualTo("U8"));
        Assert.That(Slack.CallsTo("conversations.replies").Single().Arg("ts"), Is.EqualTo(reply));
    }

    [Test]
    public async Task Events_SlackRefusesTheReadForGood_200AndLoggedOnce()
    {
        var (channel, _, _) = await DeclareAsync();
        var ts = Slack.SeedMessage(channel, "Customer impact confirmed in EU", "U8");
        Slack.FailNext("conversations.history", 1, new FakeFault.SlackError("missing_scope"));

        Assert.That(await EventAsync(Reaction("Ev0REFUSED", channel, ts)), Is.EqualTo(HttpStatusCode.OK), "a retry would get the same answer");
        Assert.That(await EventAsync(Reaction("Ev0REFUSED", channel, ts)), Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await TimelineKindsAsync(1), Is.EqualTo(new[] { "Declared" }));
        Assert.That(Slack.Calls.Count(c => c.Method == "conversations.history"), Is.EqualTo(1));
        Assert.That(await Poll.UntilAsync(() => Bot.Output.Contains("missing_scope", StringComparison.Ordinal)), Is.True);
        Assert.That(Bot.Output.Split('\n').Count(l => l.Contains("missing_scope", StringComparison.Ordinal)), Is.EqualTo(1), "logged once");
    }

    [Test]
    public async Task Events_SlackReadRateLimited_503ThenSlacksRetryCaptures()
    {
        var (channel, _, _) = await DeclareAsync();
        var ts = Slack.SeedMessage(channel, "Customer impact confirmed in EU", "U8");
        Slack.FailNext("conversations.history", 1, new FakeFault.RateLimited(1));

        Assert.That(await EventAsync(Reaction("Ev0LIMITED", channel, ts)), Is.EqualTo(HttpStatusCode.ServiceUnavailable), "worth Slack's retry");
        Assert.That(await EventAsync(Reaction("Ev0LIMITED", channel, ts)), Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await TimelineKindsAsync(1), Does.Contain("MessageReacted"));
    }
}
