using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>
/// A fake Slack on 127.0.0.1 and the real bot process pointed at it, with a SQLite file of its own.
/// Every test checks at the end that the bot's logs never held the token or the signing secret.
/// </summary>
public abstract class SlackBotFixture
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5-test-signing";
    public const string Token = "xoxb-1234567890-secret-bot-token";
    public const string ApiKey = "integration-api-key-0123456789";
    public const string Announce = "CANNOUNCE";

    protected string Folder { get; private set; } = "";

    protected FakeSlackServer Slack { get; private set; } = null!;

    protected BotProcess Bot { get; private set; } = null!;

    private readonly List<string> _outputs = [];

    protected virtual Dictionary<string, string> ExtraSettings() => [];

    /// <summary>Runs before the first bot starts (e.g. to create a database).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Runs after the bots stopped.</summary>
    protected virtual Task AfterStopAsync() => Task.CompletedTask;

    [SetUp]
    public async Task StartAsync()
    {
        Folder = Path.Combine(Path.GetTempPath(), "incidentbot-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Bot = null!;
        Slack = null!;
        await BeforeStartAsync();
        Slack = new FakeSlackServer(Token);
        await Slack.StartAsync();
        Bot = await StartBotAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        // SetUp may have stopped early (no PostgreSQL server: the test is skipped).
        if (Bot is not null)
        {
            await Bot.DisposeAsync();
            _outputs.Add(Bot.Output);
        }

        if (Slack is not null)
        {
            await Slack.DisposeAsync();
        }

        await AfterStopAsync();
        var logs = string.Join('\n', _outputs);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        Assert.That(logs, Does.Not.Contain(Token).And.Not.Contain(Secret).And.Not.Contain(ApiKey), "a secret reached the logs");
    }

    /// <summary>Storage settings of the bots this fixture starts; SQLite in the test folder unless overridden.</summary>
    protected virtual Dictionary<string, string> StorageSettings() =>
        new() { ["IncidentBot__Storage__ConnectionString"] = $"Data Source={Path.Combine(Folder, "bot.db")}" };

    protected async Task<BotProcess> StartBotAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["IncidentBot__Slack__SigningSecret"] = Secret,
            ["IncidentBot__Slack__BotToken"] = Token,
            ["IncidentBot__Slack__ApiBaseUrl"] = Slack.BaseUrl,
            ["IncidentBot__Slack__AnnouncementChannel"] = Announce,
            ["IncidentBot__Slack__Responders__0"] = "U9",
            ["IncidentBot__Api__Keys__0"] = ApiKey,
            ["Logging__LogLevel__Default"] = "Debug",
        };
        foreach (var (key, value) in StorageSettings().Concat(ExtraSettings()))
        {
            settings[key] = value;
        }

        return await BotProcess.StartAsync(Folder, settings);
    }

    /// <summary>Stops the current bot (SIGKILL when <paramref name="kill"/>) and starts another on the same file.</summary>
    protected async Task RestartBotAsync(bool kill)
    {
        if (kill)
        {
            await Bot.KillAsync();
        }
        else
        {
            await Bot.StopAsync();
        }

        _outputs.Add(Bot.Output);
        await Bot.DisposeAsync();
        Bot = await StartBotAsync();
    }

    /// <summary>Keeps a second bot's logs for the secrets check.</summary>
    protected void CollectOutput(BotProcess other) => _outputs.Add(other.Output);

    protected Task<HttpResponseMessage> CommandAsync(string text, string channel = "CGENERAL", string user = "U1", BotProcess? bot = null) =>
        (bot ?? Bot).Client.SendAsync(SlackSigner.Form("/slack/commands", SlackSigner.Command(text, channel, user, user == "U1" ? "ada" : "grace"), Secret));

    /// <summary>A block_actions payload built on the reference sample, as a click on one of our buttons.</summary>
    protected Task<HttpResponseMessage> ClickAsync(string actionId, long incidentId, string channel, string user = "U1", BotProcess? bot = null)
    {
        var payload = Sample("payloads", "BlockActionPayload.json");
        payload["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" };
        payload["user"] = new JsonObject { ["id"] = user, ["username"] = user, ["name"] = user, ["team_id"] = "T1" };
        payload["channel"] = new JsonObject { ["id"] = channel, ["name"] = "inc" };
        payload["container"]!["channel_id"] = channel;
        payload["trigger_id"] = "123.456.abc";
        payload["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = actionId,
            ["block_id"] = "b1",
            ["value"] = incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["action_ts"] = "1700000000.000200",
        });
        return (bot ?? Bot).Client.SendAsync(SlackSigner.Form("/slack/interactions", SlackSigner.Payload(payload.ToJsonString()), Secret));
    }

    protected static JsonObject Sample(string folder, string file) =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Reference("slack", "samples", folder, file)))!.AsObject();

    /// <summary>Declares through the slash command and waits until the header is posted; returns channel, header ts and incident id.</summary>
    protected async Task<(string Channel, string HeaderTs, long IncidentId)> DeclareAsync(string title = "Checkout errors sev2")
    {
        var before = Slack.CallsTo("conversations.create").Count;
        using var response = await CommandAsync($"declare {title}");
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("pins.add").Count > before), Is.True, "header pinned");
        var channel = Slack.CallsTo("conversations.create")[before] is var create ? Slack.Channels[create.Arg("name")] : "";
        var header = Slack.Messages.First(m => m.Channel == channel && m.Blocks is not null && m.Blocks.ToJsonString().Contains("incident.acknowledge", StringComparison.Ordinal));
        var incidentId = long.Parse(header.Blocks!.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        return (channel, header.Ts, incidentId);
    }

    protected async Task<JsonElement> ApiAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await Bot.Client.SendAsync(request);
        Assert.That(response.IsSuccessStatusCode, Is.True, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    protected async Task<List<string>> TimelineKindsAsync(int number) =>
        (await ApiAsync($"/api/incidents/{number}/timeline")).EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();
}
