using System.Diagnostics;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Storage.Postgres;
using IncidentBot.Testing.Postgres;
using Npgsql;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// The scale-out numbers: the Slack load run against two replicas on PostgreSQL, and two replicas draining
/// 10,000 queued outbox messages to the fake Slack. Explicit: `dotnet test -c Release --filter Category=Load`.
/// </summary>
[Explicit("Load run; numbers go into the issue note.")]
[Category("Load")]
public sealed class PostgresLoadRun : SlackBotFixture
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

    [Test]
    public async Task SignedCommands_TwoReplicas_200PerSecondFor60Seconds()
    {
        _second = await StartBotAsync();
        var (channel, _, _) = await DeclareAsync();
        var ts = SlackSigner.Now();
        var load = new SlackLoadRun.HeyLoad(100, int.Parse(Environment.GetEnvironmentVariable("LOAD_SECONDS") ?? "60", System.Globalization.CultureInfo.InvariantCulture));

        var runs = await Task.WhenAll(
            SlackLoadRun.HeyAsync(Bot, load, "POST", "/slack/commands", SlackSigner.Command("status", channel), ts),
            SlackLoadRun.HeyAsync(_second, load, "POST", "/slack/commands", SlackSigner.Command("note load run entry", channel), ts));

        TestContext.Out.WriteLine($"replica A status: {runs[0]}");
        TestContext.Out.WriteLine($"replica B note:   {runs[1]}");
        TestContext.Out.WriteLine($"peak working set: A {SlackLoadRun.PeakWorkingSetMb(Bot):F0} MB, B {SlackLoadRun.PeakWorkingSetMb(_second):F0} MB");
        Assert.That(runs.All(r => r.Errors == 0), Is.True);
    }

    [Test]
    public async Task TwoReplicas_Drain10000QueuedMessages()
    {
        await Bot.KillAsync();

        // 1,000 incidents with 10 messages each to their own conversations, queued while no bot runs.
        await using (var store = new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(_database), TimeProvider.System))
        {
            for (var i = 0; i < 1000; i++)
            {
                var draft = new Incident
                {
                    Platform = "slack", WorkspaceId = "T1", Title = $"Queued {i}", Commander = new Person("U1", "Ada"), DeclaredBy = new Person("U1", "Ada"),
                    DeclaredAt = TimeProvider.System.GetUtcNow(), LastStatusUpdateAt = TimeProvider.System.GetUtcNow(), Version = 1,
                };
                var conversation = $"CQ{i:D4}";
                await store.CreateAsync(draft, x => new IncidentChange
                {
                    Incident = x,
                    Messages = Enumerable.Range(0, 10).Select(m => new OutgoingMessage
                    {
                        Platform = "slack", Operation = ChatOperation.Post, ConversationId = conversation,
                        Message = new ChatMessage { Text = $"queued {i:D4}-{m:D2}" },
                    }).ToList(),
                }, null, CancellationToken.None);
            }
        }

        var watch = Stopwatch.StartNew();
        var replicas = await Task.WhenAll(StartBotAsync(), StartBotAsync());
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postMessage").Count >= 10_000, TimeSpan.FromMinutes(10)), Is.True);
        var elapsed = watch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var texts = Slack.Messages.Select(m => m.Text).ToList();
        var duplicates = texts.Count - texts.Distinct().Count();
        TestContext.Out.WriteLine($"drained 10,000 messages with two replicas in {elapsed.TotalSeconds:F1} s (including start-up): {10_000 / elapsed.TotalSeconds:F0} messages/s, duplicates {duplicates}");
        foreach (var replica in replicas)
        {
            CollectOutput(replica);
            await replica.DisposeAsync();
        }

        Assert.That(duplicates, Is.Zero);
        foreach (var conversation in Slack.Messages.GroupBy(m => m.Channel))
        {
            var order = conversation.Select(m => m.Text).ToList();
            Assert.That(order, Is.Ordered, $"messages to {conversation.Key} keep their order");
        }

        Assert.That(texts.Distinct().Count(), Is.EqualTo(10_000));
    }
}
