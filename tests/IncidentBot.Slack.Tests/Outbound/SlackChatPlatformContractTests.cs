using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.PlatformContract;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.WebApi;
using IncidentBot.Testing.Slack;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>The chat platform contract against the fake Slack Web API.</summary>
public sealed class SlackChatPlatformContractTests : ChatPlatformContract
{
    protected override Person Ada { get; } = new("U0ADA", "Ada Lovelace");

    protected override Person Grace { get; } = new("U0GRACE", "Grace Hopper");

    protected override async Task<PlatformUnderTest> StartAsync(IIncidentStore store, TimeProvider clock)
    {
        var slack = new FakeSlackServer(SlackUnderTest.Token);
        await slack.StartAsync();
        return new SlackUnderTest(slack, clock, [Ada, Grace]);
    }

    private sealed class SlackUnderTest : PlatformUnderTest
    {
        public const string Token = "xoxb-contract-token";
        private const int RetryAfterSeconds = 17;
        private readonly FakeSlackServer _slack;
        private readonly HttpClient _http;
        private readonly IReadOnlyList<Person> _people;

        public SlackUnderTest(FakeSlackServer slack, TimeProvider clock, IReadOnlyList<Person> people)
        {
            _slack = slack;
            _people = people;
            _http = new HttpClient { BaseAddress = new Uri(slack.BaseUrl) };
            var options = new SlackOptions { BotToken = Token, AnnouncementChannel = "CANNOUNCE" };
            Platform = new SlackChatPlatform(new SlackApiClient(_http, Options.Create(options), clock));
            Settings = SlackExtensions.Settings(options);
        }

        public override IChatPlatform Platform { get; }

        public override PlatformSettings Settings { get; }

        public override string Workspace => "T1";

        public override TimeSpan? ThrottledRetryAfter => TimeSpan.FromSeconds(RetryAfterSeconds);

        public override int CallFaultsLeft => _slack.CallFaultsLeft;

        public override Task<IReadOnlyList<SeenMessage>> SeenAsync(string conversationId, Person viewer) =>
            Task.FromResult(SlackSeen.Of(_slack, conversationId, viewer, _people));

        public override Task<IReadOnlyList<string>> IncidentConversationsAsync() => Task.FromResult<IReadOnlyList<string>>(_slack.Channels.Values.ToList());

        public override void FailCalls(int after, int count, bool throttled) =>
            _slack.FailCalls(after, count, throttled ? new FakeFault.RateLimited(RetryAfterSeconds) : new FakeFault.ServerError());

        public override Task<string?> TopicAsync(string conversationId) => Task.FromResult(_slack.TopicOf(conversationId));

        public override Task<bool?> IsArchivedAsync(string conversationId) => Task.FromResult<bool?>(_slack.IsArchived(conversationId));

        public override async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _slack.DisposeAsync();
        }
    }
}
