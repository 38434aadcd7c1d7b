using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Teams;

namespace IncidentBot.IntegrationTests;

/// <summary>A channel per incident through Graph when Teams:TeamId is set; a thread when Graph refuses.</summary>
public sealed class TeamsChannelTests : TeamsBotFixture
{
    public const string TeamId = "19:incidentsteam0000@thread.tacv2";

    protected override Dictionary<string, string> ExtraSettings() => new() { ["IncidentBot__Teams__TeamId"] = TeamId };

    [Test]
    public async Task Declare_WithTeamId_GraphChannelCreatedAndHeaderInIt()
    {
        var (thread, _, _) = await DeclareAsync("Checkout: errors / 5xx? sev2");

        var channel = Teams.Channels.Single();
        Assert.That(channel.TeamId, Is.EqualTo(TeamId));
        Assert.That(channel.DisplayName, Is.EqualTo("inc-1-checkout-errors-5xx"));
        Assert.That(channel.DisplayName.Length, Is.LessThanOrEqualTo(50));
        Assert.That(FakeTeamsServer.IsLegalChannelName(channel.DisplayName), Is.True);
        Assert.That(thread, Does.StartWith(channel.Id + ";messageid="), "the header starts a thread in the new channel");
        Assert.That(Teams.Conversations.Any(c => c.ChannelId == IncidentsChannel), Is.False);
        var graphCall = Teams.SuccessfulCallsTo(FakeTeamsRoutes.CreateChannel).Single();
        Assert.That(graphCall.Authorization, Is.Not.Null.And.Not.EqualTo(Teams.SuccessfulCallsTo(FakeTeamsRoutes.CreateConversation)[0].Authorization), "Graph gets a Graph token, not the Bot Connector's");
    }

    [Test]
    public async Task Declare_GraphForbidden_ThreadInIncidentsChannel_FallbackLoggedOnce()
    {
        Teams.GraphForbidden = true;

        var (first, _, _) = await DeclareAsync("First outage");
        var (second, _, _) = await DeclareAsync("Second outage");

        Assert.That(Teams.Channels, Is.Empty);
        Assert.That(first, Does.StartWith(IncidentsChannel + ";messageid="));
        Assert.That(second, Does.StartWith(IncidentsChannel + ";messageid="));
        Assert.That(first, Is.Not.EqualTo(second));
        var fallbacks = Bot.Output.Split('\n').Count(l => l.Contains("cannot create a channel per incident", StringComparison.Ordinal));
        Assert.That(fallbacks, Is.EqualTo(1), Bot.Output);
    }
}
