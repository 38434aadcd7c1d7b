using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.WebApi;
using IncidentBot.Testing;
using IncidentBot.Testing.Slack;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Names for captured events: users.info once per person per hour, the id when Slack does not know them.</summary>
public sealed class SlackInteractiveApiTests
{
    private const string Token = "xoxb-test-token";
    private FakeSlackServer _slack = null!;
    private HttpClient _http = null!;
    private FakeTimeProvider _clock = null!;
    private SlackInteractiveApi _api = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _slack = new FakeSlackServer(Token);
        await _slack.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        _clock = TestClock.Create();
        _api = new SlackInteractiveApi(new SlackApiClient(_http, Options.Create(new SlackOptions { BotToken = Token }), _clock), _clock);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Test]
    public async Task DisplayName_AskedTwiceWithinTheHour_OneUsersInfoCall_AskedAgainAfter()
    {
        _slack.NameUser("U7", "Grace Hopper", displayName: "grace");

        var first = await _api.DisplayNameAsync("U7", CancellationToken.None);
        var second = await _api.DisplayNameAsync("U7", CancellationToken.None);
        _clock.Advance(SlackInteractiveApi.NameLifetime);
        var third = await _api.DisplayNameAsync("U7", CancellationToken.None);

        Assert.That(new[] { first, second, third }, Is.All.EqualTo("grace"));
        Assert.That(_slack.CallsTo("users.info"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task DisplayName_NoDisplayName_RealName()
    {
        _slack.NameUser("U8", "Ada Lovelace");

        Assert.That(await _api.DisplayNameAsync("U8", CancellationToken.None), Is.EqualTo("Ada Lovelace"));
    }

    [Test]
    public async Task DisplayName_UserSlackDoesNotKnow_TheId()
    {
        _slack.ForgetUser("U5");

        Assert.That(await _api.DisplayNameAsync("U5", CancellationToken.None), Is.EqualTo("U5"));
    }
}
