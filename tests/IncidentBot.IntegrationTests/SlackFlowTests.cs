using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests;

/// <summary>The whole Slack flow: signed requests into the real bot process, a fake Slack on loopback.</summary>
public sealed class SlackFlowTests : SlackBotFixture
{
    [Test]
    public async Task Declare_ChannelInviteTopicHeaderPinAndAnnouncement()
    {
        using var response = await CommandAsync("declare Checkout errors sev2 type:deployment");
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.GetProperty("response_type").GetString(), Is.EqualTo("ephemeral"));
        Assert.That(answer.GetProperty("text").GetString(), Does.Contain("Declared INC-1"));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postMessage").Count >= 2 && Slack.CallsTo("pins.add").Count == 1), Is.True);

        var create = Slack.CallsTo("conversations.create").Single();
        Assert.That(create.Arg("name"), Is.EqualTo("inc-1-checkout-errors"));
        Assert.That(create.ContentType, Does.StartWith("application/x-www-form-urlencoded").And.Not.Contain("charset"));
        Assert.That(create.Authorization, Is.EqualTo($"Bearer {Token}"));
        var channel = Slack.Channels["inc-1-checkout-errors"];
        Assert.That(Slack.MembersOf(channel), Is.EquivalentTo(new[] { "U1", "U9" }));
        Assert.That(Slack.TopicOf(channel), Does.Contain("INC-1").And.Contain("Sev2").And.Contain("Declared"));
        Assert.That(Slack.PurposeOf(channel), Does.Contain("Checkout errors"));

        var header = Slack.Messages.Single(m => m.Channel == channel);
        Assert.That(Slack.IsPinned(channel, header.Ts), Is.True);
        var post = Slack.CallsTo("chat.postMessage").First(c => c.Arg("channel") == channel);
        Assert.That(post.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(header.Blocks!.ToJsonString(), Does.Contain("incident.acknowledge").And.Contain("incident.mitigate").And.Contain("incident.resolve").And.Contain("incident.post_update"));

        var announcement = Slack.Messages.Single(m => m.Channel == Announce);
        Assert.That(announcement.Blocks![1]!["text"]!["text"]!.GetValue<string>(), Does.Contain($"<#{channel}>"));
    }

    [Test]
    public async Task ButtonAck_UpdatesHeaderInPlace()
    {
        var (channel, headerTs, incidentId) = await DeclareAsync();

        using var click = await ClickAsync("incident.acknowledge", incidentId, channel, "U2");

        Assert.That(click.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.update").Count == 1), Is.True);
        var update = Slack.CallsTo("chat.update").Single();
        Assert.That(update.Arg("ts"), Is.EqualTo(headerTs));
        var header = Slack.Messages.Single(m => m.Ts == headerTs);
        Assert.That(header.Blocks!.ToJsonString(), Does.Contain("Acknowledged").And.Not.Contain("incident.acknowledge"));
        Assert.That(await Poll.UntilAsync(() => Slack.TopicOf(channel)?.Contains("Acknowledged", StringComparison.Ordinal) == true), Is.True);
    }

    [Test]
    public async Task DoubleClick_OneTransitionAndAPrivateAnswerForTheLoser()
    {
        var (channel, _, incidentId) = await DeclareAsync();

        var clicks = await Task.WhenAll(ClickAsync("incident.acknowledge", incidentId, channel, "U1"), ClickAsync("incident.acknowledge", incidentId, channel, "U2"));

        Assert.That(clicks.Select(c => c.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Count == 1), Is.True, "the second clicker is told privately");
        Assert.That(Slack.CallsTo("chat.postEphemeral").Single().Arg("text"), Does.Contain("already acknowledged"));
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "StateChanged"), Is.EqualTo(1));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.update").Count == 1), Is.True);
        foreach (var click in clicks)
        {
            click.Dispose();
        }
    }

    [Test]
    public async Task Update_PostedInChannelAndBroadcast_ThenResolve()
    {
        var (channel, headerTs, _) = await DeclareAsync();

        using (var update = await CommandAsync("update Rolled back the deploy; errors falling", channel))
        {
            Assert.That(await update.Content.ReadAsStringAsync(), Does.Contain("Status update posted"));
        }

        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(m => m.Text.Contains("Rolled back the deploy", StringComparison.Ordinal)) == 2), Is.True);
        Assert.That(Slack.Messages.Where(m => m.Text.Contains("Rolled back", StringComparison.Ordinal)).Select(m => m.Channel), Is.EquivalentTo(new[] { channel, Announce }));

        using (var resolve = await CommandAsync("resolve", channel))
        {
            Assert.That(await resolve.Content.ReadAsStringAsync(), Does.Contain("Resolved"));
        }

        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Any(m => m.Channel == channel && m.Blocks?.ToJsonString().Contains("incident.export_postmortem", StringComparison.Ordinal) == true && m.Ts != headerTs)), Is.True);
        Assert.That(Slack.Messages.Single(m => m.Ts == headerTs).Blocks!.ToJsonString(), Does.Contain("Resolved"));
        var incident = await ApiAsync("/api/incidents/1");
        Assert.That(incident.GetProperty("state").GetString(), Is.EqualTo("Resolved"));
    }

    [Test]
    public async Task RateLimitedPost_DeliveredAfterRetryAfter_InOrder()
    {
        Slack.FailNext("chat.postMessage", 1, new FakeFault.RateLimited(1));

        var (channel, headerTs, _) = await DeclareAsync();
        using (await CommandAsync("ack", channel))
        {
        }

        var limited = Slack.Calls.Single(c => c.Method == "chat.postMessage" && c.Status == 429);

        // The retry comes a second later: wait for it rather than reading the calls too early.
        bool Retried() => Slack.CallsTo("chat.postMessage").Any(c => c.Arg("channel") == limited.Arg("channel") && c.At > limited.At);
        Assert.That(await Poll.UntilAsync(Retried, TimeSpan.FromSeconds(30)), Is.True, "the rate-limited post was retried");
        var retried = Slack.CallsTo("chat.postMessage").First(c => c.Arg("channel") == limited.Arg("channel") && c.At > limited.At);
        Assert.That(retried.At - limited.At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)), "the retry waited out Retry-After");
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(m => m.Channel == channel) == 2), Is.True);
        var inChannel = Slack.Messages.Where(m => m.Channel == channel).ToList();
        Assert.That(inChannel[0].Ts, Is.EqualTo(headerTs), "header first");
        Assert.That(inChannel[1].Text, Does.Contain("Acknowledged"), "then the state change, in order");
        Assert.That(Slack.Calls.Count(c => c.Method == "chat.postMessage" && c.Status == 429), Is.EqualTo(1));
    }

    [Test]
    public async Task SlackDownForAWhile_EverythingDeliveredOnceAfterwards()
    {
        Slack.SetDown(true);
        using (var declare = await CommandAsync("declare Payments down sev1"))
        {
            Assert.That(declare.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the bot answers while Slack is down");
        }

        Assert.That(await Poll.UntilAsync(() => Slack.Calls.Count(c => c.Status == 500) >= 3), Is.True, "the bot kept trying");
        Slack.SetDown(false);

        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("pins.add").Count == 1 && Slack.Messages.Count == 2, TimeSpan.FromSeconds(45)), Is.True);
        Assert.That(Slack.CallsTo("conversations.create"), Has.Count.EqualTo(1), "one channel, not one per retry");
        Assert.That(Slack.Messages.Count(m => m.Channel == Announce), Is.EqualTo(1));
    }

    [Test]
    public async Task Restart_WithUndeliveredOutbox_DeliversAfterRestart()
    {
        Slack.SetDown(true);
        using (await CommandAsync("declare Search is slow sev3"))
        {
        }

        await RestartBotAsync(kill: false);
        Slack.SetDown(false);

        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("pins.add").Count == 1 && Slack.Messages.Count == 2, TimeSpan.FromSeconds(45)), Is.True);
        Assert.That(Slack.CallsTo("conversations.create"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Postmortem_UploadedWithFilesV2Flow()
    {
        var (channel, _, _) = await DeclareAsync();
        using (await CommandAsync("resolve", channel))
        {
        }

        using (var export = await CommandAsync("postmortem", channel))
        {
            Assert.That(await export.Content.ReadAsStringAsync(), Does.Contain("postmortem draft is being uploaded"));
        }

        var markdown = await UploadedPostmortemAsync(channel);
        Assert.That(markdown, Does.StartWith("# INC-1 postmortem: Checkout errors"));
    }

    [Test]
    public async Task ExportPostmortemButton_OnTheResolutionMessage_UploadsWithFilesV2Flow()
    {
        var (channel, headerTs, _) = await DeclareAsync();
        using (await CommandAsync("resolve", channel))
        {
        }

        Assert.That(await Poll.UntilAsync(() => ResolutionMessage(channel, headerTs) is not null), Is.True, "the resolution message offers the export");
        var button = ResolutionMessage(channel, headerTs)!.Blocks!.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!
            .AsArray().Single(e => (string?)e!["action_id"] == "incident.export_postmortem")!;

        using (var click = await ClickAsync(button["action_id"]!.GetValue<string>(), long.Parse(button["value"]!.GetValue<string>(), CultureInfo.InvariantCulture), channel, "U2"))
        {
            Assert.That(click.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var markdown = await UploadedPostmortemAsync(channel);
        Assert.That(markdown, Does.StartWith("# INC-1 postmortem: Checkout errors").And.Contain("| State | Resolved |"));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Any(c => c.Arg("user") == "U2" && c.Arg("text").Contains("being uploaded", StringComparison.Ordinal))), Is.True, "the clicker is told");
    }

    [Test]
    public async Task Postmortem_TimeZoneGiven_TimesRenderedInThatZone()
    {
        var (channel, _, _) = await DeclareAsync();
        using (await CommandAsync("resolve", channel))
        {
        }

        using (await CommandAsync("postmortem tz:Europe/Paris", channel))
        {
        }

        var markdown = await UploadedPostmortemAsync(channel);
        var incident = await ApiAsync("/api/incidents/1");
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        string InParis(string field) => TimeZoneInfo.ConvertTime(incident.GetProperty(field).GetDateTimeOffset(), paris).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

        Assert.That(markdown, Does.Contain($"| Declared at | {InParis("declaredAt")} (Europe/Paris) |"));
        Assert.That(markdown, Does.Contain("## Timeline (Europe/Paris)"));
        Assert.That(markdown, Does.Contain($"| {InParis("declaredAt")} | Declared |").And.Contain($"| {InParis("resolvedAt")} | StateChanged |"), "timeline rows in Paris time");
        Assert.That(markdown, Does.Not.Contain("+00:00"), "no instant left in UTC");
    }

    private FakeSlackMessage? ResolutionMessage(string channel, string headerTs) =>
        Slack.Messages.FirstOrDefault(m => m.Channel == channel && m.Ts != headerTs && m.Blocks?.ToJsonString().Contains("incident.export_postmortem", StringComparison.Ordinal) == true);

    /// <summary>Waits for the one files v2 upload (ticket, bytes, complete into <paramref name="channel"/>) and returns its Markdown.</summary>
    private async Task<string> UploadedPostmortemAsync(string channel)
    {
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("files.completeUploadExternal").Count == 1), Is.True, "upload completed");
        var ticket = Slack.CallsTo("files.getUploadURLExternal").Single();
        var fileId = JsonDocument.Parse(Slack.CallsTo("files.completeUploadExternal").Single().Arg("files")).RootElement[0].GetProperty("id").GetString()!;
        var file = Slack.File(fileId);
        Assert.That(ticket.Arg("filename"), Is.EqualTo("INC-1-postmortem.md"));
        Assert.That(ticket.Arg("length"), Is.EqualTo(file.Bytes!.Length.ToString(CultureInfo.InvariantCulture)));
        Assert.That(file.Channel, Is.EqualTo(channel));
        return System.Text.Encoding.UTF8.GetString(file.Bytes);
    }
}
