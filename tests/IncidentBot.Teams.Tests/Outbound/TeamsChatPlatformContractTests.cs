using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.PlatformContract;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>
/// The chat platform contract against the fake Bot Connector: incidents get a thread in the incidents channel, the
/// announcements a thread each in their channel. Teams has no topic, no archive and no private message in a channel:
/// an answer to one person is a reply everyone in the thread sees.
/// </summary>
public sealed class TeamsChatPlatformContractTests : ChatPlatformContract
{
    private const string AnnouncementChannel = "19:announce0000@thread.tacv2";

    protected override Person Ada { get; } = new("29:1ada-lovelace", "Ada Lovelace");

    protected override Person Grace { get; } = new("29:1grace-hopper", "Grace Hopper");

    protected override async Task<PlatformUnderTest> StartAsync(IIncidentStore store, TimeProvider clock) =>
        new TeamsUnderTest(await TeamsOutboundRig.StartAsync(o => o.AnnouncementChannelId = AnnouncementChannel), store, clock);

    private sealed class TeamsUnderTest(TeamsOutboundRig rig, IIncidentStore store, TimeProvider clock) : PlatformUnderTest
    {
        private const int RetryAfterSeconds = 17;

        public override IChatPlatform Platform => rig.Platform;

        public override PlatformSettings Settings { get; } = TeamsExtensions.Settings(rig.Options);

        public override string Workspace => rig.Fake.TenantId;

        public override TimeSpan? ThrottledRetryAfter => TimeSpan.FromSeconds(RetryAfterSeconds);

        public override int CallFaultsLeft => rig.Fake.CallFaultsLeft;

        /// <summary>The incident's thread starts with the bot's line saying it is the incident's home.</summary>
        public override int OpeningMessages => 1;

        public override bool HasPrivateAnswers => false;

        /// <summary>Recorded as the bot records a person's personal-scope activity: their 1:1 and its service URL.</summary>
        public override async Task<string?> OpenDirectConversationAsync(Person person)
        {
            var conversation = "a:1" + person.Id[3..] + "-personal";
            await store.RecordDirectConversationAsync(
                new DirectConversation(Platform.Platform, Workspace, person.Id, conversation, rig.Fake.ServiceUrl, clock.GetUtcNow()), CancellationToken.None);
            return conversation;
        }

        public override Task<IReadOnlyList<SeenMessage>> SeenAsync(string conversationId, Person viewer) =>
            Task.FromResult(TeamsSeen.Of(rig.Fake, conversationId));

        public override Task<IReadOnlyList<string>> IncidentConversationsAsync() =>
            Task.FromResult<IReadOnlyList<string>>(rig.Fake.Conversations.Where(c => c.ChannelId == TeamsOutboundRig.IncidentsChannel).Select(c => c.Id).ToList());

        public override void FailCalls(int after, int count, bool throttled) =>
            rig.Fake.FailCalls(after, count, throttled ? 429 : 500, throttled ? RetryAfterSeconds : null);

        public override ValueTask DisposeAsync() => rig.DisposeAsync();
    }
}
