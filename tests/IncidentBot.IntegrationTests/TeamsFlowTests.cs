using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Teams;

namespace IncidentBot.IntegrationTests;

/// <summary>The incident flow in Teams, end to end: real bot process, fakes of Entra, the Bot Connector and Graph on loopback.</summary>
public sealed class TeamsFlowTests : TeamsBotFixture
{
    protected override Dictionary<string, string> ExtraSettings() => new() { ["IncidentBot__Reminders__Sev1"] = "00:00:02" };

    [Test]
    public async Task Declare_Ack_Update_Resolve_Postmortem_ThroughMessagesAndCards()
    {
        var (thread, header, incidentId) = await DeclareAsync("Checkout errors sev2");

        // A thread in the incidents channel, header card in it, the declaration announced.
        var created = Teams.Conversations.Single(c => c.ChannelId == IncidentsChannel);
        Assert.That(thread, Is.EqualTo(created.Id));
        Assert.That(created.Body["isGroup"]!.GetValue<bool>(), Is.True);
        Assert.That(created.Body["activity"], Is.Not.Null);
        Assert.That(header.Card!["version"]!.GetValue<string>(), Is.EqualTo("1.5"));
        Assert.That(header.Card.ToJsonString(), Does.Contain("INC-1: Checkout errors").And.Contain("Sev2").And.Contain("Declared"));
        Assert.That(await Poll.UntilAsync(() => Teams.Conversations.Any(c => c.ChannelId == AnnounceChannel)), Is.True, "announced");
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(GeneralThread, "Declared INC-1"))), Is.True, "the declarer is answered where they asked");

        // Acknowledge by card: refreshed card in the invoke response, and the header updated for everyone.
        using (var ack = await SendAsync(Execute("incident.acknowledge", incidentId, thread, header.Id)))
        {
            var body = await ReadJsonAsync(ack);
            Assert.That(body["statusCode"]!.GetValue<int>(), Is.EqualTo(200));
            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That(body["value"]!.ToJsonString(), Does.Contain("Acknowledged").And.Not.Contain("incident.acknowledge"));
        }

        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, header.Id)!.Card!.ToJsonString().Contains("Acknowledged", StringComparison.Ordinal)), Is.True, "header PUT");

        // A second click on the stale card: answered inline, nothing changes.
        using (var again = await SendAsync(Execute("incident.acknowledge", incidentId, thread, header.Id, user: "29:grace")))
        {
            var body = await ReadJsonAsync(again);
            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.activity.message"));
            Assert.That(body["value"]!.GetValue<string>(), Does.Contain("already").IgnoreCase);
        }

        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "StateChanged"), Is.EqualTo(1), "one transition for two clicks");
        Assert.That((await ApiAsync("/api/incidents/1")).GetProperty("state").GetString(), Is.EqualTo("Acknowledged"));

        // A status update typed in the incident thread: posted there and broadcast.
        using (var update = await SendAsync(Message("update Failing over the payments database", thread)))
        {
            Assert.That((int)update.StatusCode, Is.EqualTo(200));
        }

        Assert.That(await Poll.UntilAsync(() => Teams.Conversations.Count(c => c.ChannelId == AnnounceChannel) >= 2), Is.True, "update broadcast");
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "Failing over the payments database"))), Is.True, "update posted in the thread");

        // Post update from the card's form.
        using (var posted = await SendAsync(Execute("incident.post_update", incidentId, thread, header.Id, new JsonObject { ["updateText"] = "Failover done, watching" })))
        {
            var body = await ReadJsonAsync(posted);
            Assert.That(body["statusCode"]!.GetValue<int>(), Is.EqualTo(200));
            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"), "the clicker sees the header again");
        }

        using (var empty = await SendAsync(Execute("incident.post_update", incidentId, thread, header.Id, new JsonObject { ["updateText"] = "  " })))
        {
            Assert.That((await ReadJsonAsync(empty))["value"]!.GetValue<string>(), Does.Contain("Write what is happening"));
        }

        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "Failover done, watching"))), Is.True);

        // Resolve by card, then the postmortem.
        using (await SendAsync(Execute("incident.resolve", incidentId, thread, header.Id)))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, header.Id)!.Card!.ToJsonString().Contains("Resolved", StringComparison.Ordinal)), Is.True);
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(a => a.ConversationId == thread && a.Card is { } c && ButtonData(c, "incident.export_postmortem") is not null && c.ToJsonString().Contains("INC-1 resolved", StringComparison.Ordinal))), Is.True);

        using (await SendAsync(Message("postmortem", thread)))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "INC-1-postmortem.md"))), Is.True);
        var postmortem = Teams.Activities.Last(SentIn(thread, "INC-1-postmortem.md")).Activity.ToJsonString();
        Assert.That(postmortem, Does.Contain("https://incidentbot.example.com/api/incidents/1/postmortem").And.Contain("# INC-1"));
        Assert.That((await ApiAsync("/api/incidents/1")).GetProperty("state").GetString(), Is.EqualTo("Resolved"));
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "StatusUpdate"), Is.EqualTo(2));
    }

    [Test]
    public async Task Reminder_OverdueSev1_ProactiveMessageMentionsCommander()
    {
        var (thread, _, _) = await DeclareAsync("Payments down sev1");

        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "no status update")), TimeSpan.FromSeconds(30)), Is.True);
        var nudge = Teams.Activities.First(SentIn(thread, "no status update")).Activity;
        var mentions = (nudge["entities"] as JsonArray ?? []).OfType<JsonObject>().Where(e => (string?)e["type"] == "mention").ToList();
        Assert.That(mentions.Select(m => (string?)m["mentioned"]!["id"]), Does.Contain(Ada));
        Assert.That(mentions.Select(m => (string?)m["text"]), Does.Contain("<at>Ada Lovelace</at>"));
        Assert.That(nudge.ToJsonString(), Does.Contain("reminder.snooze_30"));

        // Snooze from the reminder card: the clicker's card shows the outcome, the timeline records it.
        var reminder = Teams.Activities.First(SentIn(thread, "no status update"));
        using var snooze = await SendAsync(Execute("reminder.snooze_30", IncidentIdOf(HeaderCards()[0].Card!), thread, reminder.Id));
        var body = await ReadJsonAsync(snooze);
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
        Assert.That(body["value"]!.ToJsonString(), Does.Contain("snoozed for 30 minutes").And.Not.Contain("reminder.snooze"));
        Assert.That(await TimelineKindsAsync(1), Does.Contain("Snoozed"));

        // Everyone else's copy of the reminder is replaced too (PUT of that activity): no live Snooze buttons left.
        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, reminder.Id) is { Version: > 1 }), Is.True, "the reminder card was updated for everyone");
        var updated = Teams.FindActivity(thread, reminder.Id)!.Activity.ToJsonString();
        Assert.That(updated, Does.Contain("snoozed status-update reminders for 30 minutes").And.Not.Contain("reminder.snooze"));
    }

    [Test]
    public async Task RateLimited_429ThenSuccess_DeliveredAfterRetryAfter()
    {
        Teams.FailNext(FakeTeamsRoutes.SendActivity, 1, 429, retryAfterSeconds: 1);

        var (thread, _, _) = await DeclareAsync();

        // Calls to different conversations run side by side: find the refused one, then its retry.
        var sends = Teams.CallsTo(FakeTeamsRoutes.SendActivity).ToList();
        var refused = sends.FindIndex(c => c.Status == 429);
        Assert.That(refused, Is.GreaterThanOrEqualTo(0), "the fake answered 429 once");
        var path = sends[refused].Path;
        Assert.That(await Poll.UntilAsync(() => Teams.CallsTo(FakeTeamsRoutes.SendActivity).Skip(refused + 1).Any(c => c.Path == path && c.Status is >= 200 and < 300)), Is.True, "the same send retried and delivered");
        Assert.That(Teams.ActivitiesIn(thread), Is.Not.Empty);
    }

    [Test]
    public async Task Message_WithoutOrWithBadToken_401AndNothingStored()
    {
        using var forged = await SendAsync(Message("declare Forged"), token: Issuer.CreateToken("another-app-id", Teams.ServiceUrl, TimeProvider.System.GetUtcNow()));
        using var missing = await PostActivityAsync(Message("declare Anonymous").ToJsonString(), bearer: null);

        Assert.That((int)forged.StatusCode, Is.EqualTo(401));
        Assert.That((int)missing.StatusCode, Is.EqualTo(401));
        Assert.That((await ApiAsync("/api/incidents")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task MessageAction_FetchTaskPrefilled_SubmitDeclaresWithMessageFirst()
    {
        var payload = new JsonObject
        {
            ["id"] = "1700000000555",
            ["createdDateTime"] = TimeProvider.System.GetUtcNow().AddMinutes(-3).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["linkToMessage"] = "https://teams.microsoft.com/l/message/19:general0000@thread.tacv2/1700000000555",
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<p>Checkout returns 500 for EU users</p><p>since 09:55</p>" },
            ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "29:grace", ["displayName"] = "Grace Hopper" } },
        };
        var fetch = Base("invoke", GeneralThread, Ada, "Ada Lovelace");
        fetch["name"] = "composeExtension/fetchTask";
        fetch["value"] = new JsonObject { ["commandId"] = "declareFromMessage", ["commandContext"] = "message", ["messagePayload"] = payload.DeepClone() };
        using (var response = await SendAsync(fetch))
        {
            var body = await ReadJsonAsync(response);
            Assert.That(body["task"]!["type"]!.GetValue<string>(), Is.EqualTo("continue"));
            Assert.That(body["task"]!["value"]!["card"]!["content"]!.ToJsonString(), Does.Contain("Checkout returns 500 for EU users"));
        }

        var submit = Base("invoke", GeneralThread, Ada, "Ada Lovelace");
        submit["name"] = "composeExtension/submitAction";
        submit["value"] = new JsonObject
        {
            ["commandId"] = "declareFromMessage",
            ["messagePayload"] = payload.DeepClone(),
            ["data"] = new JsonObject { ["action"] = "incident.declare", ["title"] = "", ["severity"] = "sev2", ["type"] = "customer" },
        };
        using (var invalid = await SendAsync(submit))
        {
            Assert.That((await ReadJsonAsync(invalid))["task"]!["value"]!["card"]!["content"]!.ToJsonString(), Does.Contain("Give the incident a title."));
        }

        submit["id"] = "1700000000999";
        submit["value"]!["data"]!["title"] = "EU checkout 500s";
        using (var valid = await SendAsync(submit))
        {
            Assert.That((int)valid.StatusCode, Is.EqualTo(200));
        }

        var incident = await ApiAsync("/api/incidents/1");
        Assert.That(incident.GetProperty("title").GetString(), Is.EqualTo("EU checkout 500s"));
        var timeline = await ApiAsync("/api/incidents/1/timeline");
        Assert.That(timeline[0].GetProperty("text").GetString(), Does.Contain("Checkout returns 500 for EU users").And.Contain("https://teams.microsoft.com/l/message/"));
        Assert.That(timeline[0].GetProperty("actor").GetProperty("name").GetString(), Is.EqualTo("Grace Hopper"));
    }

    [Test]
    public async Task BotAdded_WelcomeWithCommands_OncePerActivity()
    {
        var update = Base("conversationUpdate", GeneralThread, Ada, "Ada Lovelace");
        update["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId });

        using (await SendAsync(update))
        {
        }

        using (await SendAsync(update))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(GeneralThread, "I am IncidentBot"))), Is.True);
        Assert.That(Teams.Activities.Count(SentIn(GeneralThread, "I am IncidentBot")), Is.EqualTo(1), "a redelivery is a no-op");
    }
}
