using System.Text.Json.Nodes;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.WebApi;
using IncidentBot.Testing.Slack;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.WebApi;

/// <summary>The Web API client against the fake Slack on loopback: transports, auth, typed errors.</summary>
public sealed class SlackApiClientTests
{
    private const string Token = "xoxb-test-token";
    private FakeSlackServer _slack = null!;
    private HttpClient _http = null!;
    private SlackApiClient _api = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _slack = new FakeSlackServer(Token);
        await _slack.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        _api = new SlackApiClient(_http, Options.Create(new SlackOptions { BotToken = Token }));
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
        var stranger = new SlackApiClient(http, Options.Create(new SlackOptions { BotToken = "xoxb-wrong" }));

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
    public async Task Fake_AnswersWithTheSampleFields()
    {
        await _api.CreateConversationAsync("inc-2-y", CancellationToken.None);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("auth.test", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        using var response = await _http.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(IncidentBot.Testing.RepoPaths.Reference("slack", "samples", "api", "auth.test.json"))).RootElement;

        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.SupersetOf(sample.EnumerateObject().Select(p => p.Name)), "every field a real response carries");
        Assert.That(_slack.CallsTo("conversations.create").Single().Status, Is.EqualTo(200));
    }

    [Test]
    public void EveryMethodTheClientCalls_IsOneSlackHas() =>
        Assert.That(SlackMethods.All.Keys, Is.SubsetOf(FakeSlackServer.KnownMethods));
}
