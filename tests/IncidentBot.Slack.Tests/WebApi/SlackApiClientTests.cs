using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.WebApi;
using IncidentBot.Testing;
using IncidentBot.Testing.Slack;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Slack.Tests.WebApi;

/// <summary>The Web API client against the fake Slack on loopback: transports, auth, typed errors.</summary>
public sealed class SlackApiClientTests
{
    private const string Token = "xoxb-test-token";
    private const string AppToken = "xapp-1-A1-test-app-token";
    private FakeSlackServer _slack = null!;
    private HttpClient _http = null!;
    private SlackApiClient _api = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _slack = new FakeSlackServer(Token) { AppToken = AppToken };
        await _slack.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        _clock = TestClock.Create();
        _api = new SlackApiClient(_http, Options.Create(new SlackOptions { BotToken = Token, AppToken = AppToken }), _clock);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Test]
    public async Task ChatMethods_SendJsonWithCharsetAndBearer()
    {
        await _api.PostMessageAsync("C1", "hello", [new JsonObject { ["type"] = "section" }], CancellationToken.None);

        var call = _slack.CallsTo("chat.postMessage").Single();
        Assert.That(call.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(call.Authorization, Is.EqualTo($"Bearer {Token}"));
        Assert.That(call.Json!["channel"]!.GetValue<string>(), Is.EqualTo("C1"));
        Assert.That(call.Body, Does.Not.Contain(Token), "the token travels only in the header");
    }

    [Test]
    public async Task ConversationMethods_SendFormWithoutCharset()
    {
        await _api.CreateConversationAsync("inc-1-x", CancellationToken.None);

        var call = _slack.CallsTo("conversations.create").Single();
        Assert.That(call.ContentType, Is.EqualTo("application/x-www-form-urlencoded"));
        Assert.That(call.Arg("name"), Is.EqualTo("inc-1-x"));
    }

    [Test]
    public async Task ReadMethods_UseGetWithQuery()
    {
        await _api.GetPermalinkAsync("C1", "1700000000.000100", CancellationToken.None);

        var call = _slack.CallsTo("chat.getPermalink").Single();
        Assert.That(call.HttpMethod, Is.EqualTo("GET"));
        Assert.That(call.Arg("message_ts"), Is.EqualTo("1700000000.000100"));
    }

    [Test]
    public async Task OkFalse_TypedErrorWithSlacksCode()
    {
        _slack.FailNext("chat.update", 1, new FakeFault.SlackError("message_not_found"));

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _api.UpdateMessageAsync("C1", "1.2", "x", [], CancellationToken.None));

        Assert.That(error!.Error, Is.EqualTo("message_not_found"));
        Assert.That(error.Method, Is.EqualTo("chat.update"));
    }

    [Test]
    public async Task RateLimited_CarriesRetryAfter()
    {
        _slack.FailNext("chat.postMessage", 1, new FakeFault.RateLimited(7));

        var error = await Assert.ThrowsAsync<SlackRateLimitedException>(() => _api.PostMessageAsync("C1", "x", [], CancellationToken.None));

        Assert.That(error!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public async Task ServerError_TypedHttpError()
    {
        _slack.FailNext("pins.add", 1, new FakeFault.ServerError());

        var error = await Assert.ThrowsAsync<SlackHttpException>(() => _api.PinAsync("C1", "1.2", CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(500));
    }

    [Test]
    public async Task WrongToken_InvalidAuth()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        var stranger = new SlackApiClient(http, Options.Create(new SlackOptions { BotToken = "xoxb-wrong" }), _clock);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => stranger.AuthTestAsync(CancellationToken.None));

        Assert.That(error!.Error, Is.EqualTo("invalid_auth"));
        Assert.That((await _api.AuthTestAsync(CancellationToken.None)).TeamId, Is.Not.Null);
    }

    [Test]
    public async Task Fake_RefusesMethodsSlackDoesNotHave()
    {
        using var response = await _http.PostAsync(new Uri("chat.postMessages", UriKind.Relative), new StringContent(""));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("unknown_method"));
        Assert.That(FakeSlackServer.KnownMethods, Does.Contain("chat.postMessage").And.Contain("files.completeUploadExternal"));
    }

    [Test]
    public async Task OpenConnection_AppTokenAsBearer_ReturnsTheWebSocketUrl()
    {
        var url = await _api.OpenConnectionAsync(CancellationToken.None);

        Assert.That(url.Scheme, Is.EqualTo("ws"));
        Assert.That(url.Host, Is.EqualTo("127.0.0.1"));
        var call = _slack.CallsTo("apps.connections.open").Single();
        Assert.That(call.Authorization, Is.EqualTo($"Bearer {AppToken}"), "the app-level token, not the bot token");
        Assert.That(call.HttpMethod, Is.EqualTo("POST"));
    }

    [Test]
    public async Task OpenConnection_TokenRefused_SlackApiExceptionWithTheCode()
    {
        _slack.AppToken = "xapp-other";

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _api.OpenConnectionAsync(CancellationToken.None));

        Assert.That(error!.Error, Is.EqualTo("invalid_auth"));
    }

    /// <summary>Every method the fake serves that has a reference sample (samples/api/&lt;method&gt;.json).</summary>
    private static IEnumerable<string> SampledMethods() =>
        Directory.GetFiles(RepoPaths.Fixture("slack", "samples", "api"), "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(FakeSlackServer.KnownMethods.Contains)
            .Order(StringComparer.Ordinal);

    [Test]
    public void Fake_SampledMethods_IncludeEveryMethodTheClientCallsThatHasASample() =>
        Assert.That(SampledMethods().ToList(), Is.SupersetOf(SlackMethods.All.Keys.Where(m => File.Exists(RepoPaths.Fixture("slack", "samples", "api", $"{m}.json")))).And.Count.GreaterThan(15), "the sample check runs for every method");

    [TestCaseSource(nameof(SampledMethods))]
    public async Task Fake_AnswersWithTheSampleFields(string method)
    {
        var channel = (await _api.CreateConversationAsync("inc-2-samples", CancellationToken.None)).Channel.Id;
        var ts = (await _api.PostMessageAsync(channel, "seed", [], CancellationToken.None)).Ts;
        await _api.UploadFileAsync(channel, "a.md", "a", [1, 2, 3], CancellationToken.None);
        var fileId = JsonDocument.Parse(_slack.CallsTo("files.completeUploadExternal").Single().Arg("files")).RootElement[0].GetProperty("id").GetString()!;
        Dictionary<string, string> args = method switch
        {
            "conversations.create" => new() { ["name"] = "inc-3-samples" },
            "conversations.invite" => new() { ["channel"] = channel, ["users"] = "U1" },
            "conversations.setTopic" => new() { ["channel"] = channel, ["topic"] = "t" },
            "conversations.setPurpose" => new() { ["channel"] = channel, ["purpose"] = "p" },
            "chat.postMessage" => new() { ["channel"] = channel, ["text"] = "x" },
            "chat.update" => new() { ["channel"] = channel, ["ts"] = ts, ["text"] = "y" },
            "chat.postEphemeral" => new() { ["channel"] = channel, ["user"] = "U1", ["text"] = "x" },
            "chat.getPermalink" => new() { ["channel"] = channel, ["message_ts"] = ts },
            "pins.add" => new() { ["channel"] = channel, ["timestamp"] = ts },
            "files.getUploadURLExternal" => new() { ["filename"] = "b.md", ["length"] = "3" },
            "files.completeUploadExternal" => new() { ["files"] = $"[{{\"id\":\"{fileId}\",\"title\":\"a\"}}]", ["channel_id"] = channel },
            _ => new() { ["channel"] = channel, ["user"] = "U1" },
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(method, UriKind.Relative)) { Content = new FormUrlEncodedContent(args) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", method == "apps.connections.open" ? AppToken : Token);
        using var response = await _http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var sample = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("slack", "samples", "api", $"{method}.json"))).RootElement;

        Assert.That(body.GetProperty("ok").GetBoolean(), Is.True, body.ToString());
        AssertCarriesFields(body, sample, method);
    }

    /// <summary>Every field of the sample is in the answer, in nested objects too (arrays hold data, not shape).</summary>
    private static void AssertCarriesFields(JsonElement answer, JsonElement sample, string path)
    {
        Assert.That(answer.ValueKind, Is.EqualTo(JsonValueKind.Object), path);
        var names = answer.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(names, Is.SupersetOf(sample.EnumerateObject().Select(p => p.Name)), $"{path}: every field a real response carries");
        foreach (var field in sample.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Object))
        {
            AssertCarriesFields(answer.GetProperty(field.Name), field.Value, $"{path}.{field.Name}");
        }
    }

    [Test]
    public async Task Call_SlackHangsPastTheRequestTimeout_TimeoutNamingTheMethod()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        var timeout = TimeSpan.FromMilliseconds(300);
        var api = new SlackApiClient(http, Options.Create(new SlackOptions { BotToken = Token, RequestTimeout = timeout }), _clock);
        _slack.FailNext("chat.postEphemeral", 1, new FakeFault.Slow(TimeSpan.FromSeconds(10)));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var call = api.PostEphemeralAsync("C1", "U1", "x", CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => _slack.FaultsLeft("chat.postEphemeral") == 0), Is.True, "the call reached Slack, which hangs");
        _clock.Advance(timeout);
        var error = await Assert.ThrowsAsync<SlackTimeoutException>(() => call);

        Assert.That(error!.Method, Is.EqualTo("chat.postEphemeral"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(async () => await api.PostEphemeralAsync("C1", "U1", "again", CancellationToken.None), Throws.Nothing, "the next call is not affected");
    }

    [Test]
    public void Call_CallerCancels_CancellationNotATimeout()
    {
        _slack.FailNext("chat.postMessage", 1, new FakeFault.Slow(TimeSpan.FromSeconds(10)));
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(async () => await _api.PostMessageAsync("C1", "x", [], caller.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void EveryMethodTheClientCalls_IsOneSlackHas() =>
        Assert.That(SlackMethods.All.Keys, Is.SubsetOf(FakeSlackServer.KnownMethods));
}
