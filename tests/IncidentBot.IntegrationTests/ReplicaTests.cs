using System.Collections.Concurrent;
using System.Net;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Postgres;

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

    protected override Dictionary<string, string> ExtraSettings() => new() { ["IncidentBot__Reminders__Sev1"] = "00:00:03" };

    private async Task<BotProcess> SecondAsync() => _second ??= await StartBotAsync();

    [Test]
    public async Task SameClickOnBothReplicas_OneTransitionOneHeaderUpdate()
    {
        var second = await SecondAsync();
        var (channel, _, incidentId) = await DeclareAsync("Checkout errors sev3");

        var clicks = await Task.WhenAll(ClickAsync("incident.acknowledge", incidentId, channel, "U1"), ClickAsync("incident.acknowledge", incidentId, channel, "U2", second));

        Assert.That(clicks.Select(c => c.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.update").Count >= 1), Is.True);
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Count == 1), Is.True, "the loser is told privately");
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "StateChanged"), Is.EqualTo(1));
        Assert.That(Slack.CallsTo("chat.update"), Has.Count.EqualTo(1));
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
        var announced = Slack.Messages.Where(m => m.Channel == Announce).Select(m => m.Text).ToList();
        Assert.That(announced, Is.Unique, "each declaration announced once");
        Assert.That(announced, Has.Count.EqualTo(200));
    }

    [Test]
    public async Task RemindersDueWhileBothRun_EachSentOnce()
    {
        await SecondAsync();
        var (channel, _, _) = await DeclareAsync("Payments down sev1");

        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(m => m.Channel == channel && m.Text.Contains("no status update", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(40)), Is.True);

        var kinds = await TimelineKindsAsync(1);
        var nudges = Slack.Messages.Count(m => m.Channel == channel && m.Text.Contains("no status update", StringComparison.Ordinal));
        Assert.That(kinds.Count(k => k == "ReminderSent"), Is.EqualTo(nudges), "every nudge on the timeline once, none twice");
        Assert.That(nudges, Is.LessThanOrEqualTo(kinds.Count(k => k == "ReminderSent")));
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
        Slack.SetDown(false);
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(m => m.Text.Contains("burst", StringComparison.Ordinal)) >= 20, TimeSpan.FromSeconds(60)), Is.True);
        await Bot.KillAsync();
        var second = await SecondAsync();

        Dictionary<string, int> Delivered() => Slack.Messages
            .Select(m => System.Text.RegularExpressions.Regex.Match(m.Text, @"burst \d{3} ok"))
            .Where(x => x.Success).GroupBy(x => x.Value).ToDictionary(g => g.Key, g => g.Count());
        bool AllThere()
        {
            var delivered = Delivered();
            return Enumerable.Range(0, 250).All(i => delivered.GetValueOrDefault($"burst {i:D3} ok") >= 2);
        }

        Assert.That(await Poll.UntilAsync(AllThere, TimeSpan.FromSeconds(120)), Is.True, "the surviving replica delivers the rest");
        var duplicates = Delivered().Values.Sum(c => Math.Max(0, c - 2));
        TestContext.Out.WriteLine($"duplicates after the kill: {duplicates}");
        Assert.That(duplicates, Is.LessThanOrEqualTo(2), "only what was in flight per conversation at the kill may repeat");
        Assert.That(second.HasExited, Is.False);
    }
}
