using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// The LiteDB issue's load gate: signed <c>/incident note</c> at 200 requests/s against the bot on SQLite, then on
/// LiteDB, beside the bare endpoint's floor, in one run. LiteDB passes at p99 &lt;= 50 ms with no error.
/// </summary>
public sealed partial class SlackLoadRun
{
    private const double LiteDbP99LimitMs = 50;
    private string? _store;

    protected override Dictionary<string, string> StorageSettings() => _store switch
    {
        "Sqlite" => SqliteSettings(),
        "LiteDb" => LiteDbSettings(),
        _ => base.StorageSettings(),
    };

    [Test]
    public async Task SignedNotes_200PerSecond_SqliteBesideLiteDbBesideTheFloor()
    {
        var duration = int.Parse(Environment.GetEnvironmentVariable("LOAD_SECONDS") ?? "60", System.Globalization.CultureInfo.InvariantCulture);
        var results = new Dictionary<string, HeyResult>(StringComparer.Ordinal);
        foreach (var store in new[] { "Sqlite", "LiteDb" })
        {
            _store = store;
            await RestartBotAsync(kill: false);

            // A title of its own per bot: the fake Slack keeps the first bot's channel names.
            var (channel, _, _) = await DeclareAsync($"Load on {store}");
            var ts = SlackSigner.Now();
            results[$"{store} floor /healthz"] = await HeyAsync(Bot, new HeyLoad(200, duration), "GET", "/healthz", null, ts);
            results[$"{store} note"] = await HeyAsync(Bot, new HeyLoad(200, duration), "POST", "/slack/commands", SlackSigner.Command("note load run entry", channel), ts);
        }

        foreach (var (name, result) in results)
        {
            TestContext.Out.WriteLine($"{name}: {result}");
        }

        Assert.That(results.Values.Select(r => r.Errors), Is.All.Zero);
        Assert.That(results["LiteDb note"].P99Ms, Is.LessThanOrEqualTo(LiteDbP99LimitMs), "the LiteDB gate: p99 <= 50 ms at 200 req/s");
    }
}
