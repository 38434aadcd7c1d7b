using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Storage.Postgres;
using IncidentBot.Testing;
using IncidentBot.Testing.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace IncidentBot.IntegrationTests;

/// <summary>Two bot processes on one PostgreSQL database, with the fake Slack.</summary>
public sealed class ReplicaTests : SlackBotFixture
{
    private string _database = "";
    private BotProcess? _second;

    protected override async Task BeforeStartAsync() => _database = await PostgresTestServer.CreateDatabaseAsync();

    protected override async Task AfterStopAsync()
    {
        if (_second is not null)
        {
            CollectOutput(_second);
            await _second.DisposeAsync();
            _second = null;
        }

        if (_database.Length > 0)
        {
            await PostgresTestServer.DropDatabaseAsync(_database);
            _database = "";
        }
    }

    protected override Dictionary<string, string> StorageSettings() => new()
    {
        ["IncidentBot__Storage__Provider"] = "Postgres",
        ["IncidentBot__Storage__ConnectionString"] = _database,
    };

    private static readonly TimeSpan Sev1Reminder = TimeSpan.FromSeconds(3);

    protected override Dictionary<string, string> ExtraSettings() =>
        new() { ["IncidentBot__Reminders__Sev1"] = Sev1Reminder.ToString("c", System.Globalization.CultureInfo.InvariantCulture) };

    private async Task<BotProcess> SecondAsync() => _second ??= await StartBotAsync();

    /// <summary>Waits until every outbox row was sent (or given up), so the fake's counts of what the outbox delivers are final.</summary>
    private async Task<bool> OutboxDrainedAsync(TimeSpan? timeout = null)
    {
        await using var store = new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(_database), TestClock.Create());
        return await Poll.UntilAsync(async () => await store.CountPendingOutboxAsync(CancellationToken.None) == 0, timeout ?? TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task OverdueFollowUp_BothReplicasScheduling_OneNudgeInChannelAndOneDirectMessage()
    {
        await SecondAsync();
        var (channel, _, _) = await DeclareAsync("Checkout errors sev3");

        using (var add = await CommandAsync("followup Alert on queue depth <@U2|grace> due:2020-01-01", channel))
        {
            Assert.That(await add.Content.ReadAsStringAsync(), Does.Contain("Follow-up 1 added"));
        }

        bool IsNudge(Testing.Slack.FakeSlackMessage m) => m.Blocks?.ToJsonString().Contains("was due 2020-01-01", StringComparison.Ordinal) == true;
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(IsNudge) >= 2, TimeSpan.FromSeconds(30)), Is.True, "a scheduler nudged the owner");

        // Done when the schedule holds tomorrow's nudge: the save that moved it recorded today's, so neither replica
        // (one that claimed meanwhile decides again on the saved follow-up) can nudge again today.
        var tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero).UtcTicks;
        await using (var data = NpgsqlDataSource.Create(_database))
        {
            Assert.That(await Poll.UntilAsync(async () =>
            {
                await using var select = data.CreateCommand("SELECT due_at FROM follow_up_nudges");
                return await select.ExecuteScalarAsync() is long due && due >= tomorrow;
            }, TimeSpan.FromSeconds(30)), Is.True, "the next nudge is tomorrow's");
        }

        Assert.That(await OutboxDrainedAsync(), Is.True);
        Assert.That(Slack.Messages.Where(IsNudge).Select(m => m.Channel), Is.EquivalentTo(new[] { channel, "U2" }), "one mention in the channel, one direct message");
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "FollowUpNudged"), Is.EqualTo(1));
    }

    [Test]
    public async Task SameClickOnBothReplicas_OneTransitionOneHeaderUpdate()
    {
        var second = await SecondAsync();
        var (channel, _, incidentId) = await DeclareAsync("Checkout errors sev3");

        var clicks = await Task.WhenAll(ClickAsync("incident.acknowledge", incidentId, channel, "U1"), ClickAsync("incident.acknowledge", incidentId, channel, "U2", second));

        Assert.That(clicks.Select(c => c.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.update").Count >= 1), Is.True);
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Count >= 1), Is.True, "the loser is told privately");
        Assert.That(await OutboxDrainedAsync(), Is.True, "everything owed was delivered");

        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "StateChanged"), Is.EqualTo(1));
        Assert.That(Slack.CallsTo("chat.update"), Has.Count.EqualTo(1), "one header update");
        Assert.That(await Poll.SettledAsync(() => Slack.CallsTo("chat.postEphemeral").Count), Is.EqualTo(1), "one private answer, to the loser");
        foreach (var click in clicks)
        {
            click.Dispose();
        }
    }

    [Test]
    public async Task TwoHundredDeclaresOverBothReplicas_NumbersOneTo200_EachAnnouncedOnce()
    {
        var second = await SecondAsync();
        var replies = new ConcurrentBag<HttpStatusCode>();
        using var gate = new SemaphoreSlim(10);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await CommandAsync($"declare Outage {i:D3} sev3", bot: i % 2 == 0 ? Bot : second);
                replies.Add(response.StatusCode);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.That(replies, Has.All.EqualTo(HttpStatusCode.OK));
        var numbers = (await ApiAsync("/api/incidents")).EnumerateArray().Select(i => i.GetProperty("number").GetInt32()).Order();
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, 200)));
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(m => m.Channel == Announce) >= 200, TimeSpan.FromSeconds(90)), Is.True);
        Assert.That(await OutboxDrainedAsync(), Is.True, "everything owed was delivered");
        var announced = Slack.Messages.Where(m => m.Channel == Announce).Select(m => m.Text).ToList();
        Assert.That(announced, Is.Unique, "each declaration announced once");
        Assert.That(announced, Has.Count.EqualTo(200));
    }

    [Test]
    public async Task EightSendersTwoHundredUpdatesOverBothReplicas_AtMostOnePercentToldToTryAgain()
    {
        var second = await SecondAsync();
        var (channel, _, _) = await DeclareAsync("Checkout errors sev2");

        var answers = await SendConcurrentlyAsync(channel, writers: 8, count: 200, i => $"update rollout step {i:D3}", Bot, second);

        var posted = answers.Count(a => a.Contains("Status update posted on INC-1", StringComparison.Ordinal));
        var refused = answers.Where(a => a.Contains("try again", StringComparison.Ordinal)).ToList();
        TestContext.Out.WriteLine($"posted {posted}, told to try again {refused.Count}");
        Assert.That(posted + refused.Count, Is.EqualTo(200), "every answer is posted or try again");
        Assert.That(refused, Has.Count.LessThanOrEqualTo(2), "at most 1% told to try again");
        Assert.That(await TimelineTextsAsync(1, "StatusUpdate"), Has.Count.EqualTo(posted).And.Unique, "each posted update once on the timeline");
    }

    [Test]
    public async Task RemindersDueWhileBothRun_EachSentOnce()
    {
        await SecondAsync();
        var (channel, _, _) = await DeclareAsync("Payments down sev1");
        bool IsNudge(IncidentBot.Testing.Slack.FakeSlackMessage m) => m.Channel == channel && m.Text.Contains("no status update", StringComparison.Ordinal);

        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(IsNudge) >= 3, TimeSpan.FromSeconds(40)), Is.True);

        // Resolving stops the schedule; once the outbox is drained the counts below are final.
        using (var resolve = await CommandAsync("resolve", channel))
        {
            Assert.That(await resolve.Content.ReadAsStringAsync(), Does.Contain("Resolved"));
        }

        Assert.That(await OutboxDrainedAsync(), Is.True, "everything owed was delivered");
        var sent = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "ReminderSent")
            .Select(e => e.GetProperty("at").GetDateTimeOffset()).Order().ToList();
        var gaps = sent.Zip(sent.Skip(1), (earlier, later) => later - earlier).ToList();
        TestContext.Out.WriteLine($"reminders: {sent.Count}, gaps: {string.Join(", ", gaps)}");

        Assert.That(sent, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(gaps, Is.All.GreaterThanOrEqualTo(Sev1Reminder), "no reminder sent twice by the two replicas: consecutive nudges are an interval apart");
        Assert.That(Slack.Messages.Count(IsNudge), Is.EqualTo(sent.Count), "every nudge on the timeline was posted once");
    }

    [Test]
    public async Task ReplicaKilledMidDelivery_OtherDeliversTheRest()
    {
        var (channel, _, _) = await DeclareAsync("Burst sev3");
        Slack.SetDown(true);
        for (var i = 0; i < 250; i++)
        {
            using var response = await CommandAsync($"update burst {i:D3} ok", channel);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // 500 messages queued (channel + announcement per update); let the first replica start and kill it mid-way.
        var burst = new Regex(@"burst (\d{3}) ok");
        List<(string Channel, int Index)> Burst() => Slack.Messages
            .Select(m => (m.Channel, Match: burst.Match(m.Text)))
            .Where(x => x.Match.Success)
            .Select(x => (x.Channel, int.Parse(x.Match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Slack.SetDown(false);
        Assert.That(await Poll.UntilAsync(() => Burst().Count >= 20, TimeSpan.FromSeconds(60)), Is.True);
        await Bot.KillAsync();
        var atKill = Burst().Count;
        TestContext.Out.WriteLine($"delivered when the first replica was killed: {atKill} of 500");
        Assert.That(atKill, Is.LessThan(500), "killed mid-burst");
        var second = await SecondAsync();

        bool AllThere()
        {
            var counts = Burst().CountBy(b => b.Index).ToDictionary();
            return Enumerable.Range(0, 250).All(i => counts.GetValueOrDefault(i) >= 2);
        }

        Assert.That(await Poll.UntilAsync(AllThere, TimeSpan.FromSeconds(120)), Is.True, "the surviving replica delivers the rest");
        Assert.That(await OutboxDrainedAsync(), Is.True);
        var delivered = Burst();
        var duplicates = delivered.Count - 500;
        TestContext.Out.WriteLine($"duplicates after the kill: {duplicates}");
        Assert.That(duplicates, Is.LessThanOrEqualTo(2), "only what was in flight per conversation at the kill may repeat");
        foreach (var conversation in delivered.GroupBy(b => b.Channel))
        {
            // A repeat of the message in flight at the kill comes right after itself; otherwise strictly in order.
            var indices = conversation.Select(b => b.Index).ToList();
            var withoutRepeats = indices.Where((index, i) => i == 0 || index != indices[i - 1]);
            Assert.That(withoutRepeats, Is.EqualTo(Enumerable.Range(0, 250)), $"in order in {conversation.Key}");
        }

        Assert.That(delivered.Select(b => b.Channel).Distinct().Count(), Is.EqualTo(2), "the incident channel and the announcements");
        Assert.That(second.HasExited, Is.False);
    }
}
