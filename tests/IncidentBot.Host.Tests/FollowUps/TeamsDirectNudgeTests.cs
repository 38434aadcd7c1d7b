using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Host.Tests.FollowUps;

/// <summary>
/// Teams follow-up nudges end to end, on the fake clock and the fake Teams cloud: the mention in the incident's thread
/// always, and the same nudge in the owner's 1:1 chat with the bot only where they have one (recorded from their
/// activities in personal scope, kept in the store across a restart).
/// </summary>
[NonParallelizable]
public sealed class TeamsDirectNudgeTests
{
    private const string Grace1On1 = "a:1grace-personal-chat";
    private static readonly (string Id, string Name) Ada = ("29:1ada-user-mri", "Ada Lovelace");
    private static readonly (string Id, string Name) Grace = ("29:2grace-user-mri", "Grace Hopper");

    private readonly List<TeamsHostRig> _rigs = [];
    private FakeTeamsServer _teams = null!;
    private FakeBotFrameworkIssuer _issuer = null!;
    private string _folder = "";

    [SetUp]
    public async Task SetUpAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        _teams = new FakeTeamsServer();
        await _teams.StartAsync();
        _issuer = new FakeBotFrameworkIssuer();
        await _issuer.StartAsync();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var rig in _rigs)
        {
            rig.Dispose();
        }

        await _teams.DisposeAsync();
        await _issuer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A host on this test's database (the same file for every host of the test, as after a restart).</summary>
    private TeamsHostRig StartHost()
    {
        var rig = new TeamsHostRig(_teams, _issuer, Path.Combine(_folder, "bot.db"));
        _rigs.Add(rig);
        return rig;
    }

    private static bool IsNudge(FakeTeamsActivity activity) => activity.Activity.ToJsonString().Contains("was due", StringComparison.Ordinal);

    /// <summary>Grace writes to the bot in her 1:1 chat; it answers there (with the help), which shows the activity was handled.</summary>
    private static async Task GraceWritesToTheBotAsync(TeamsHostRig rig)
    {
        Assert.That(await rig.SendAsync(rig.Personal("message", Grace1On1, Grace, "hello")), Is.EqualTo(200));
        Assert.That(await Poll.UntilAsync(() => rig.Teams.ActivitiesIn(Grace1On1).Count == 1), Is.True, "the bot's answer in her 1:1");
    }

    /// <summary>Declares INC-1, adds follow-up 1 for Grace due today, and moves the clock to the next UTC day, when it is overdue.</summary>
    private static async Task<string> OverdueFollowUpForGraceAsync(TeamsHostRig rig)
    {
        var thread = await rig.DeclareAsync(Ada);
        Assert.That(await rig.SendAsync(rig.ChannelMessage("followup Alert on queue depth <at>Grace Hopper</at> due:0d", thread, Ada, Grace)), Is.EqualTo(200));
        Assert.That(await Poll.UntilAsync(() => rig.Teams.ActivitiesIn(thread).Any(a => a.Activity.ToJsonString().Contains("Follow-up 1 (INC-1)", StringComparison.Ordinal))), Is.True, "the follow-up's card");

        var now = rig.Host.Clock.GetUtcNow();
        rig.Host.Clock.SetUtcNow(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddMinutes(1), TimeSpan.Zero));
        return thread;
    }

    private static JsonObject MentionOf(FakeTeamsActivity activity) => activity.Activity["entities"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["type"] == "mention");

    [Test]
    public async Task Nudge_OwnerWroteToTheBot_InTheIncidentThreadAndInTheir1On1_DoneFromThere()
    {
        var rig = StartHost();
        await GraceWritesToTheBotAsync(rig);
        var thread = await OverdueFollowUpForGraceAsync(rig);

        Assert.That(await rig.AdvanceUntilAsync(() => _teams.Activities.Count(IsNudge) == 2), Is.True, "the nudge in the thread and in her 1:1");

        var inThread = _teams.ActivitiesIn(thread).Single(IsNudge);
        var direct = _teams.ActivitiesIn(Grace1On1).Single(IsNudge);
        foreach (var nudge in new[] { inThread, direct })
        {
            Assert.That(MentionOf(nudge)["mentioned"]!.ToJsonString(), Is.EqualTo($$"""{"id":"{{Grace.Id}}","name":"Grace Hopper"}"""));
            Assert.That(nudge.Card!["type"]!.GetValue<string>(), Is.EqualTo("AdaptiveCard"));
            Assert.That(nudge.Card["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("<at>Grace Hopper</at>"));
            Assert.That(nudge.Card.ToJsonString(), Does.Contain("follow-up **1** of INC-1 was due 2026-11-02").And.Contain("followup.done:1"));
        }

        var messageId = thread.Split(";messageid=")[1];
        Assert.That(direct.Card!.ToJsonString(), Does.Contain($"https://teams.microsoft.com/l/message/19%3Aincidents0000%40thread.tacv2/{messageId}"), "the 1:1 links the incident's thread");
        Assert.That(inThread.Card!.ToJsonString(), Does.Not.Contain("Open the incident conversation"), "the thread needs no link to itself");

        // Done, clicked in the 1:1: the follow-up is done, as from the thread.
        Assert.That(await rig.SendAsync(rig.Click("followup.done:1", 1, Grace1On1, "personal", direct.Id, Grace)), Is.EqualTo(200));
        Assert.That(await Poll.UntilAsync(async () => await FollowUpStateAsync(rig) == "done"), Is.True);
    }

    [Test]
    public async Task Nudge_OwnerNeverWroteToTheBot_OnlyTheMentionInTheThread_NothingElseSent()
    {
        var rig = StartHost();
        var thread = await OverdueFollowUpForGraceAsync(rig);
        var before = _teams.Calls.Count(c => c.Route == FakeTeamsRoutes.SendActivity);

        Assert.That(await rig.AdvanceUntilAsync(() => _teams.Activities.Any(IsNudge)), Is.True, "the nudge in the thread");
        Assert.That(await Poll.UntilAsync(async () => await rig.Store.CountPendingOutboxAsync(CancellationToken.None) == 0), Is.True, "the outbox done, the direct message too");

        Assert.That(_teams.Activities.Where(IsNudge).Select(a => a.ConversationId), Is.EqualTo(new[] { thread }));
        Assert.That(_teams.Calls.Where(c => c.Route == FakeTeamsRoutes.SendActivity).Skip(before).Select(c => c.Path),
            Is.EqualTo(new[] { $"/v3/conversations/{thread}/activities" }), "one send since the follow-up: the nudge in the thread");
        Assert.That(_teams.Conversations.Select(c => c.ChannelId), Is.EqualTo(new[] { TeamsHostRig.IncidentsChannel }), "no conversation created either");
    }

    [Test]
    public async Task Nudge_TeamsRefusesThe1On1_Forgotten_NextDaysNudgeOnlyInTheThread()
    {
        var rig = StartHost();
        await GraceWritesToTheBotAsync(rig);
        var thread = await OverdueFollowUpForGraceAsync(rig);

        // She removed the app and Teams never told the bot: the Bot Connector refuses her 1:1 from now on.
        _teams.RefuseConversation(Grace1On1);
        Assert.That(await rig.AdvanceUntilAsync(() => _teams.ActivitiesIn(thread).Count(IsNudge) == 1), Is.True, "the nudge in the thread");
        Assert.That(await Poll.UntilAsync(async () => await rig.Store.CountPendingOutboxAsync(CancellationToken.None) == 0), Is.True, "the outbox done, the direct message too");
        Assert.That(await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None), Is.Null, "her 1:1 forgotten");
        Assert.That(Sends1On1().Select(c => c.Status), Is.EqualTo(new[] { 201, 403 }), "the answer to her hello, then the refused nudge, tried once");

        var now = rig.Host.Clock.GetUtcNow();
        rig.Host.Clock.SetUtcNow(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddMinutes(1), TimeSpan.Zero));
        Assert.That(await rig.AdvanceUntilAsync(() => _teams.ActivitiesIn(thread).Count(IsNudge) == 2), Is.True, "the next day's nudge in the thread");
        Assert.That(await Poll.UntilAsync(async () => await rig.Store.CountPendingOutboxAsync(CancellationToken.None) == 0), Is.True);

        Assert.That(Sends1On1(), Has.Count.EqualTo(2), "the next day's nudge tried no 1:1");
    }

    private List<FakeTeamsCall> Sends1On1() => _teams.CallsTo(FakeTeamsRoutes.SendActivity).Where(c => c.Path == $"/v3/conversations/{Grace1On1}/activities").ToList();

    [Test]
    public async Task Nudge_1On1RecordedBeforeARestart_UsedAfterIt()
    {
        var first = StartHost();
        await GraceWritesToTheBotAsync(first);
        var recordedAt = first.Host.Clock.GetUtcNow();
        first.Dispose();
        _rigs.Remove(first);

        var second = StartHost();
        second.Host.Clock.SetUtcNow(recordedAt.AddHours(1));
        await OverdueFollowUpForGraceAsync(second);

        Assert.That(await second.AdvanceUntilAsync(() => _teams.ActivitiesIn(Grace1On1).Any(IsNudge)), Is.True, "the 1:1 came back from the store");
        Assert.That(_teams.Activities.Count(IsNudge), Is.EqualTo(2));
    }

    [Test]
    public async Task InstallationUpdate_AddedInPersonalScope_Recorded_RemovedThere_Forgotten()
    {
        var rig = StartHost();
        var add = rig.Personal("installationUpdate", Grace1On1, Grace);
        add["action"] = "add";

        Assert.That(await rig.SendAsync(add), Is.EqualTo(200));
        var recorded = await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None);
        Assert.That((recorded?.ConversationId, recorded?.ServiceUrl), Is.EqualTo((Grace1On1, _teams.ServiceUrl)));

        var remove = rig.Personal("installationUpdate", Grace1On1, Grace);
        remove["action"] = "remove";
        Assert.That(await rig.SendAsync(remove), Is.EqualTo(200));
        Assert.That(await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ConversationUpdate_BotAddedInPersonalScope_RecordedAndWelcomedThere()
    {
        var rig = StartHost();
        var update = rig.Personal("conversationUpdate", Grace1On1, Grace);
        update["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TeamsHostRig.BotId });

        Assert.That(await rig.SendAsync(update), Is.EqualTo(200));

        Assert.That(await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None), Is.Not.Null);
        Assert.That(await Poll.UntilAsync(() => _teams.ActivitiesIn(Grace1On1).Any(a => a.Activity.ToJsonString().Contains("Hi, I am IncidentBot", StringComparison.Ordinal))), Is.True);
    }

    [Test]
    public async Task ConversationUpdate_BotRemovedInPersonalScope_Forgotten()
    {
        var rig = StartHost();
        await GraceWritesToTheBotAsync(rig);
        var update = rig.Personal("conversationUpdate", Grace1On1, Grace);
        update["membersRemoved"] = new JsonArray(new JsonObject { ["id"] = TeamsHostRig.BotId });

        Assert.That(await rig.SendAsync(update), Is.EqualTo(200));

        Assert.That(await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None), Is.Null);
    }

    [TestCase("from")]
    [TestCase("conversation.id")]
    [TestCase("action")]
    [TestCase("channel scope")]
    public async Task InstallationUpdate_WithoutWhatItNeeds_IgnoredNothingRecorded(string missing)
    {
        var rig = StartHost();
        var add = rig.Personal("installationUpdate", Grace1On1, Grace);
        add["action"] = "add";
        switch (missing)
        {
            case "from":
                add.Remove("from");
                break;
            case "conversation.id":
                add["conversation"]!.AsObject().Remove("id");
                break;
            case "action":
                add["action"] = "refresh";
                break;
            default:
                add["conversation"]!["conversationType"] = "channel";
                break;
        }

        Assert.That(await rig.SendAsync(add), Is.EqualTo(200), "nothing to do is no error");

        Assert.That(await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ChannelMessage_FromTheOwner_RecordsNo1On1()
    {
        var rig = StartHost();

        Assert.That(await rig.SendAsync(rig.ChannelMessage("help", TeamsHostRig.GeneralThread, Grace)), Is.EqualTo(200));

        Assert.That(await rig.Store.GetDirectConversationAsync("teams", _teams.TenantId, Grace.Id, CancellationToken.None), Is.Null);
    }

    private static async Task<string?> FollowUpStateAsync(TeamsHostRig rig)
    {
        using var client = rig.Host.CreateApiClient();
        var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/incidents/1/followups", UriKind.Relative)));
        return json.RootElement[0].GetProperty("state").GetString();
    }
}
