using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// The newcomer's local run, for real: the bot in Development (no credentials, anonymous loopback) and the
/// Microsoft 365 Agents Playground (npm <c>@microsoft/m365agentsplayground</c>) in front of it, driven
/// headlessly over the Playground's internal JSON routes; what the bot sent is read back from the
/// Playground's events recording. Explicit: install the Playground (<c>npm i @microsoft/m365agentsplayground</c>)
/// and run with <c>AGENTS_PLAYGROUND=/path/to/node_modules/.bin/agentsplayground dotnet test --filter Category=Playground</c>.
/// </summary>
[Explicit("Needs the Microsoft 365 Agents Playground; set AGENTS_PLAYGROUND to its agentsplayground binary.")]
[Category("Playground")]
public sealed class PlaygroundRun
{
    private const string AppId = "00000000-0000-0000-0000-0000000000b0";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<string> _playgroundOutput = new();
    private string _folder = "";
    private BotProcess? _bot;
    private Process? _playground;
    private HttpClient? _client;
    private string _botId = "";
    private string _botName = "";
    private string _user = "";
    private string _channel = "";

    private HttpClient Playground => _client!;

    [SetUp]
    public async Task StartAsync()
    {
        var binary = Environment.GetEnvironmentVariable("AGENTS_PLAYGROUND");
        if (string.IsNullOrWhiteSpace(binary))
        {
            Assert.Ignore("AGENTS_PLAYGROUND is not set (path to node_modules/.bin/agentsplayground).");
        }

        _playgroundOutput.Clear();
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _bot = await BotProcess.StartAsync(_folder, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["IncidentBot__Teams__AppId"] = AppId,
            ["IncidentBot__Teams__AllowUnauthenticatedLoopback"] = "true",
            ["IncidentBot__Storage__Provider"] = "Sqlite",
            ["IncidentBot__Storage__ConnectionString"] = $"Data Source={Path.Combine(_folder, "bot.db")}",
        });

        var port = BotProcess.FreePort();
        var start = new ProcessStartInfo(binary,
            ["-p", port.ToString(CultureInfo.InvariantCulture), "-e", $"http://127.0.0.1:{_bot.Port}/api/messages", "-c", "msteams", "--disable-telemetry", "--enable-events-recording"])
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        _playground = Process.Start(start)!;
        _playground.OutputDataReceived += (_, e) => Capture(e.Data);
        _playground.ErrorDataReceived += (_, e) => Capture(e.Data);
        _playground.BeginOutputReadLine();
        _playground.BeginErrorReadLine();

        // It falls back to a random port when the one asked for is taken: read the one it says.
        Assert.That(await Poll.UntilAsync(() => _playgroundOutput.Any(l => l.StartsWith("Listening on ", StringComparison.Ordinal)) || _playground.HasExited, Wait), Is.True, PlaygroundOutput());
        Assert.That(_playground.HasExited, Is.False, PlaygroundOutput());
        var listening = int.Parse(_playgroundOutput.First(l => l.StartsWith("Listening on ", StringComparison.Ordinal))["Listening on ".Length..].Trim(), CultureInfo.InvariantCulture);
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{listening}/"), Timeout = TimeSpan.FromSeconds(30) };

        // Reading the config is what makes it connect: it waits (up to 15 s) for the bot's endpoint to answer, as when the UI opens.
        var config = (await GetJsonAsync("_internal/v1/config"))["config"]!;
        _botId = config["bot"]!["id"]!.GetValue<string>();
        _botName = config["bot"]!["name"]!.GetValue<string>();
        _user = config["currentUser"]!["id"]!.GetValue<string>();
        _channel = config["teams"]!.AsArray().SelectMany(t => t!["channels"]!.AsArray()).First(c => (string?)c!["name"] == "Announcements")!["id"]!.GetValue<string>();
    }

    [TearDown]
    public async Task StopAsync()
    {
        var botOutput = "";
        if (_playground is not null)
        {
            if (!_playground.HasExited)
            {
                _playground.Kill(entireProcessTree: true);
                await _playground.WaitForExitAsync();
            }

            _playground.Dispose();
        }

        _client?.Dispose();
        if (_bot is not null)
        {
            await _bot.StopAsync();
            botOutput = _bot.Output;
            await _bot.DisposeAsync();
        }

        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Passed)
        {
            TestContext.Out.WriteLine($"bot output:\n{botOutput}\nplayground output:\n{PlaygroundOutput()}");
        }

        if (_folder.Length > 0)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        if (_bot is not null)
        {
            Assert.That(botOutput, Does.Not.Contain("fail:").And.Not.Contain("crit:").And.Not.Contain("Exception"), "the bot logged an error");
        }
    }

    [Test]
    public async Task Declare_AckByCard_Update_Resolve()
    {
        // Declared in a channel: a new post that @mentions the bot; the incident stays in that thread (no incidents channel configured).
        var thread = (await PostMessageAsync(_channel, "declare db down sev2"))["postConversationId"]!.GetValue<string>();
        var (header, incident) = await HeaderAsync(thread);
        Assert.That(header.Card!.ToJsonString(), Does.Contain("db down").And.Contain("Sev2").And.Contain("Declared"));
        Assert.That(await Poll.UntilAsync(() => BotSent().Any(s => s.Method == "POST" && s.In(thread) && s.Text.Contains("Declared INC-", StringComparison.Ordinal)), Wait), Is.True, "the declarer is answered");

        // Acknowledge by card: the invoke answers the refreshed card, and the header is replaced for everyone.
        var ack = await InvokeAsync(thread, header.Id, "incident.acknowledge", incident);
        Assert.That(ack["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"), ack.ToJsonString());
        Assert.That(ack["value"]!.ToJsonString(), Does.Contain("Acknowledged").And.Not.Contain("incident.acknowledge"));
        Assert.That(await Poll.UntilAsync(() => Updated(thread, header.Id, "Acknowledged"), Wait), Is.True, "header PUT");

        // A status update typed in the incident's thread.
        await PostMessageAsync(thread, "update Failing over");
        Assert.That(await Poll.UntilAsync(() => BotSent().Any(s => s.Method == "POST" && s.In(thread) && s.Text.Contains("Failing over", StringComparison.Ordinal)), Wait), Is.True, "update posted");

        // Resolve by card.
        var resolve = await InvokeAsync(thread, header.Id, "incident.resolve", incident);
        Assert.That(resolve["value"]!.ToJsonString(), Does.Contain("Resolved").And.Contain("incident.export_postmortem"));
        Assert.That(await Poll.UntilAsync(() => Updated(thread, header.Id, "Resolved"), Wait), Is.True, "header PUT");
        Assert.That(await Poll.UntilAsync(() => BotSent().Any(s => s.Method == "POST" && s.In(thread) && s.Text.Contains($"INC-{incident} resolved", StringComparison.Ordinal)), Wait), Is.True, "resolution summary");

        Assert.That(BotSent().Select(s => s.Status), Is.All.InRange(200, 299), "the Playground's connector took every call");
    }

    [Test]
    public async Task SubmitFallback_AcknowledgesAndPostsUpdate()
    {
        var thread = (await PostMessageAsync(_channel, "declare api slow sev3"))["postConversationId"]!.GetValue<string>();
        var (header, incident) = await HeaderAsync(thread);

        await SubmitAsync(thread, header.Id, new JsonObject { ["action"] = "incident.acknowledge", ["value"] = incident });
        Assert.That(await Poll.UntilAsync(() => Updated(thread, header.Id, "Acknowledged"), Wait), Is.True, "header PUT after Action.Submit");

        await SubmitAsync(thread, header.Id, new JsonObject { ["action"] = "incident.post_update", ["value"] = incident, ["updateText"] = "Cache warmed, watching" });
        Assert.That(await Poll.UntilAsync(() => BotSent().Any(s => s.Method == "POST" && s.In(thread) && s.Text.Contains("Cache warmed, watching", StringComparison.Ordinal)), Wait), Is.True, "update posted after Action.Submit");

        Assert.That(BotSent().Select(s => s.Status), Is.All.InRange(200, 299));
    }

    private async Task<(Sent Header, string Incident)> HeaderAsync(string thread)
    {
        Sent? header = null;
        Assert.That(await Poll.UntilAsync(() => (header = BotSent().FirstOrDefault(s => s.Method == "POST" && s.In(thread) && s.Card is { } card && AdaptiveCards.ActionData(card, "incident.acknowledge") is not null)) is not null, Wait), Is.True, "header card posted");
        Assert.That(header!.Id, Is.Not.Empty, "the connector gave the header an id");
        return (header, AdaptiveCards.ActionData(header.Card!, "incident.acknowledge")!["value"]!.GetValue<string>());
    }

    private bool Updated(string thread, string messageId, string state) =>
        BotSent().Any(s => s.Method == "PUT" && s.In(thread) && s.Url.EndsWith($"/activities/{messageId}", StringComparison.Ordinal) && s.Card?.ToJsonString().Contains($"\"{state}\"", StringComparison.Ordinal) == true);

    private async Task<JsonObject> PostMessageAsync(string conversationId, string command)
    {
        var mention = $"<at>{_botName}</at>";
        var body = new JsonObject
        {
            ["from"] = new JsonObject { ["id"] = _user },
            ["text"] = $"{mention} {command}",
            ["textFormat"] = "plain",
            ["mentions"] = new JsonArray(new JsonObject { ["mentioned"] = new JsonObject { ["id"] = _botId }, ["text"] = mention }),
        };
        return await PostJsonAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(conversationId)}/messages", body);
    }

    private async Task<JsonObject> InvokeAsync(string conversationId, string replyToId, string verb, string incident) =>
        await PostJsonAsync("_conversation/v1/invoke", new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["from"] = new JsonObject { ["id"] = _user },
            ["replyToId"] = replyToId,
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = new JsonObject { ["action"] = verb, ["value"] = incident } },
                ["trigger"] = "manual",
            },
        });

    private async Task SubmitAsync(string conversationId, string replyToId, JsonObject value)
    {
        var body = new JsonObject { ["conversation"] = new JsonObject { ["id"] = conversationId }, ["from"] = new JsonObject { ["id"] = _user }, ["replyToId"] = replyToId, ["value"] = value };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Playground.PostAsync(new Uri("_conversation/v1/submit", UriKind.Relative), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> PostJsonAsync(string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Playground.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{path}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Playground.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>One call the bot made to the Playground's mock connector, as its events recording shows it.</summary>
    private sealed record Sent(string Method, string Url, JsonObject Body, int Status, string Id)
    {
        public JsonObject? Card => Body["attachments"]?.AsArray().Select(a => a?["content"]).OfType<JsonObject>().FirstOrDefault();

        public string Text => Body.ToJsonString();

        public bool In(string conversationId) => Url.Contains($"/v3/conversations/{Uri.EscapeDataString(conversationId)}/", StringComparison.Ordinal);
    }

    /// <summary>The recording is JSON objects separated by <c>---</c> lines; the last one may still be half written.</summary>
    private List<Sent> BotSent()
    {
        var devTools = Path.Combine(_folder, "devTools");
        var file = Directory.Exists(devTools) ? Directory.GetFiles(devTools, "events_recording_*.log").FirstOrDefault() : null;
        if (file is null)
        {
            return [];
        }

        var sent = new List<Sent>();
        foreach (var chunk in ReadShared(file).Split("\n---\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            JsonNode? entry;
            try
            {
                entry = JsonNode.Parse(chunk);
            }
            catch (JsonException)
            {
                continue;
            }

            if (entry?["direction"]?.GetValue<string>().StartsWith("User Application", StringComparison.Ordinal) == true && entry["request"]?["body"] is JsonObject body)
            {
                var response = entry["response"];
                var id = response?["body"] is JsonObject answer && answer["id"] is JsonValue value ? value.ToString() : "";
                sent.Add(new Sent(entry["request"]!["method"]!.GetValue<string>(), entry["request"]!["url"]!.GetValue<string>(), body, response?["statusCode"]?.GetValue<int>() ?? 0, id));
            }
        }

        return sent;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _playgroundOutput.Enqueue(line);
        }
    }

    private string PlaygroundOutput() => string.Join('\n', _playgroundOutput);
}
