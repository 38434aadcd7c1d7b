using IncidentBot.Teams.Outbound;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>Graph channel creation against the fake: its own token, 403 and name-taken told apart.</summary>
public sealed class GraphChannelClientTests
{
    private TeamsOutboundRig _rig = null!;

    [SetUp]
    public async Task SetUpAsync() => _rig = await TeamsOutboundRig.StartAsync();

    [TearDown]
    public async Task TearDownAsync() => await _rig.DisposeAsync();

    [Test]
    public async Task CreateChannelAsync_Standard_CreatedWithGraphToken()
    {
        var id = await _rig.Graph.CreateChannelAsync("team 1", "inc-12-checkout-errors", "purpose", CancellationToken.None);

        var call = _rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.CreateChannel).Single();
        Assert.That(call.RawPath, Is.EqualTo("/graph/v1.0/teams/team%201/channels"));
        Assert.That(call.Authorization, Does.StartWith("Bearer graph-"));
        Assert.That(call.Body!["membershipType"]!.GetValue<string>(), Is.EqualTo("standard"));
        Assert.That(_rig.Fake.Channels.Single(), Is.EqualTo(new FakeTeamsChannel("team 1", id, "inc-12-checkout-errors", "purpose", "standard")));
    }

    [Test]
    public async Task FindChannelAsync_NameWithSpace_FilteredByDisplayNameWithGraphToken()
    {
        var id = await _rig.Graph.CreateChannelAsync("t", "inc-3 db down", "ours", CancellationToken.None);
        await _rig.Graph.CreateChannelAsync("t", "inc-4-other", "theirs", CancellationToken.None);

        var found = await _rig.Graph.FindChannelAsync("t", "inc-3 db down", CancellationToken.None);
        var missing = await _rig.Graph.FindChannelAsync("t", "inc-5", CancellationToken.None);

        Assert.That(found, Is.EqualTo((id, (string?)"ours")));
        Assert.That(missing, Is.Null);
        var call = _rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.ListChannels).First();
        Assert.That(call.Authorization, Does.StartWith("Bearer graph-"));
    }

    [Test]
    public async Task CreateChannelAsync_Forbidden_Distinguishable()
    {
        _rig.Fake.GraphForbidden = true;

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => _rig.Graph.CreateChannelAsync("t", "inc-1", "p", CancellationToken.None));

        Assert.That(GraphChannelClient.IsForbidden(e!), Is.True);
        Assert.That(GraphChannelClient.IsNameTaken(e!), Is.False);
    }

    [Test]
    public async Task CreateChannelAsync_NameExists_IsNameTaken()
    {
        await _rig.Graph.CreateChannelAsync("t", "inc-1", "p", CancellationToken.None);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => _rig.Graph.CreateChannelAsync("t", "inc-1", "p", CancellationToken.None));

        Assert.That(GraphChannelClient.IsNameTaken(e!), Is.True);
        Assert.That(e!.IsTransient, Is.False);
    }
}
