using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Testing;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>
/// A fake Slack on 127.0.0.1 and the real bot process pointed at it, with a SQLite file of its own.
/// Every test checks at the end that the bot's logs never held the token or the signing secret.
/// </summary>
public abstract class SlackBotFixture : BotFixture
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5-test-signing";
    public const string Token = "xoxb-1234567890-secret-bot-token";
    public const string Announce = "CANNOUNCE";

    protected FakeSlackServer Slack { get; private set; } = null!;

    protected override IReadOnlyList<string> Secrets => [Token, Secret, ApiKey];

    protected override string SecretsLeakedMessage => "a secret reached the logs";

    protected override async Task StartFakesAsync()
    {
        Slack = new FakeSlackServer(Token);
        await Slack.StartAsync();
    }

    protected override async Task StopFakesAsync()
    {
        if (Slack is not null)
        {
            await Slack.DisposeAsync();
        }

        // A later SetUp may stop before starting a new one (no PostgreSQL server: the test is skipped).
        Slack = null!;
    }

    protected override Dictionary<string, string> PlatformSettings() => new()
    {
        ["IncidentBot__Slack__SigningSecret"] = Secret,
        ["IncidentBot__Slack__BotToken"] = Token,
        ["IncidentBot__Slack__ApiBaseUrl"] = Slack.BaseUrl,
        ["IncidentBot__Slack__AnnouncementChannel"] = Announce,
        ["IncidentBot__Slack__Responders__0"] = "U9",
    };

    protected Task<HttpResponseMessage> CommandAsync(string text, string channel = "CGENERAL", string user = "U1", BotProcess? bot = null) =>
        (bot ?? Bot).Client.SendAsync(SlackSigner.Form("/slack/commands", SlackSigner.Command(text, channel, user, user == "U1" ? "ada" : "grace"), Secret));

    /// <summary>
    /// Sends <paramref name="count"/> slash commands <paramref name="text"/>(i) into <paramref name="channel"/> from
    /// <paramref name="writers"/> concurrent senders (sender w to <paramref name="bots"/>[w % n]) and returns each private answer.
    /// </summary>
    protected async Task<string[]> SendConcurrentlyAsync(string channel, int writers, int count, Func<int, string> text, params BotProcess[] bots)
    {
        var answers = new string[count];
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = writer; i < count; i += writers)
            {
                using var response = await CommandAsync(text(i), channel, writer % 2 == 0 ? "U1" : "U2", bots[writer % bots.Length]);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                answers[i] = await response.Content.ReadAsStringAsync();
            }
        }))).WaitAsync(TimeSpan.FromSeconds(120));
        return answers;
    }

    /// <summary>The texts of incident <paramref name="number"/>'s timeline entries of <paramref name="kind"/>.</summary>
    protected async Task<List<string>> TimelineTextsAsync(int number, string kind) =>
        (await ApiAsync($"/api/incidents/{number}/timeline")).EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == kind)
            .Select(e => e.GetProperty("text").GetString()!).ToList();

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

    /// <summary>A reaction_added event envelope built on the reference sample, on message <paramref name="ts"/> in <paramref name="channel"/>.</summary>
    protected static JsonObject Reaction(string eventId, string channel, string ts, string emoji = "pushpin")
    {
        var reaction = Sample("events", "ReactionAddedPayload.json");
        reaction["team_id"] = "T1";
        reaction["event_id"] = eventId;
        reaction["event"]!["reaction"] = emoji;
        reaction["event"]!["item"] = new JsonObject { ["type"] = "message", ["channel"] = channel, ["ts"] = ts };
        return reaction;
    }

    /// <summary>Delivers a signed Events API envelope to /slack/events and returns the bot's status code.</summary>
    protected async Task<HttpStatusCode> EventAsync(JsonObject envelope)
    {
        using var response = await Bot.Client.SendAsync(SlackSigner.Json("/slack/events", envelope.ToJsonString(), Secret));
        return response.StatusCode;
    }

    /// <summary>Sends an interaction payload, signed, to /slack/interactions.</summary>
    protected Task<HttpResponseMessage> InteractAsync(JsonObject payload) =>
        Bot.Client.SendAsync(SlackSigner.Form("/slack/interactions", SlackSigner.Payload(payload.ToJsonString()), Secret));

    /// <summary>The view of the last views.open call.</summary>
    protected JsonObject LastOpenedView() => Slack.CallsTo("views.open").Last().Json!["view"]!.AsObject();

    /// <summary>A view_submission by U1 of <paramref name="openedView"/> with the block values <paramref name="state"/>.</summary>
    protected static JsonObject SubmissionOf(JsonObject openedView, JsonObject state)
    {
        var payload = Sample("payloads", "ViewSubmissionPayload.json");
        payload["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" };
        payload["user"] = new JsonObject { ["id"] = "U1", ["username"] = "ada", ["name"] = "ada", ["team_id"] = "T1" };
        var view = payload["view"]!.AsObject();
        view["callback_id"] = openedView["callback_id"]!.DeepClone();
        view["private_metadata"] = openedView["private_metadata"]!.DeepClone();
        view["state"] = new JsonObject { ["values"] = state };
        return payload;
    }

    protected static JsonObject Sample(string folder, string file) =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("slack", "samples", folder, file)))!.AsObject();

    /// <summary>Sends the declare slash command and checks that Slack got a good answer (over HTTP here).</summary>
    protected virtual async Task DeclareCommandAsync(string title)
    {
        using var response = await CommandAsync($"declare {title}");
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Declares through the slash command and waits until the header is posted; returns channel, header ts and incident id.</summary>
    protected async Task<(string Channel, string HeaderTs, long IncidentId)> DeclareAsync(string title = "Checkout errors sev2")
    {
        var before = Slack.CallsTo("conversations.create").Count;
        await DeclareCommandAsync(title);
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("pins.add").Count > before), Is.True, "header pinned");
        var channel = Slack.CallsTo("conversations.create")[before] is var create ? Slack.Channels[create.Arg("name")] : "";
        var header = Slack.Messages.First(m => m.Channel == channel && m.Blocks is not null && m.Blocks.ToJsonString().Contains("incident.acknowledge", StringComparison.Ordinal));
        var incidentId = long.Parse(header.Blocks!.OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        return (channel, header.Ts, incidentId);
    }
}
