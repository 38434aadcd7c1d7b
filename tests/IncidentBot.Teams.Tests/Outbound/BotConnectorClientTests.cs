using System.Text.Json.Nodes;
using IncidentBot.Teams.Cards;
using IncidentBot.Teams.Outbound;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>Bot Connector REST against the fake: encoded paths, bodies, 401 refresh, and error classification.</summary>
public sealed class BotConnectorClientTests
{
    private const string Thread = "19:abc@thread.tacv2;messageid=1767000000001";
    private TeamsOutboundRig _rig = null!;

    [SetUp]
    public async Task SetUpAsync() => _rig = await TeamsOutboundRig.StartAsync();

    [TearDown]
    public async Task TearDownAsync() => await _rig.DisposeAsync();

    private Task<string?> SendAsync(string conversation, JsonObject? activity = null) =>
        _rig.Connector.SendAsync(_rig.Fake.ServiceUrl, conversation, activity ?? AdaptiveCardRenderer.TextActivity("hi"), CancellationToken.None);

    [Test]
    public async Task SendAsync_ThreadId_PathIsUrlEncodedAndIdReturned()
    {
        var id = await SendAsync(Thread);

        var call = _rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.SendActivity).Single();
        Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1767000000001/activities"));
        Assert.That(call.Authorization, Does.StartWith("Bearer bot-"));
        Assert.That(id, Is.Not.Null);
        Assert.That(_rig.Fake.FindActivity(Thread, id!)!.Text, Is.EqualTo("hi"));
    }

    [Test]
    public async Task SendAsync_TwoCalls_OneTokenRequest()
    {
        await SendAsync(Thread);
        await SendAsync(Thread);

        Assert.That(_rig.Fake.TokenRequestCount(FakeTeamsServer.BotConnectorScope), Is.EqualTo(1));
    }

    [Test]
    public async Task SendAsync_AcceptedWithoutBody_ReturnsNullId()
    {
        _rig.Fake.PlaygroundMode = true;
        var activity = AdaptiveCardRenderer.TextActivity("text");
        activity["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "image/png", ["contentUrl"] = "https://example.com/a.png" });

        var id = await SendAsync(Thread, activity);

        Assert.That(id, Is.Null);
        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity).Single().Status, Is.EqualTo(202));
    }

    [Test]
    public async Task SendAsync_MarkdownFileAttachment_RefusedAsTeamsDoes()
    {
        var activity = AdaptiveCardRenderer.TextActivity("text");
        activity["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "text/markdown", ["name"] = "a.md", ["content"] = "# a" });

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => SendAsync(Thread, activity));

        Assert.That(e!.StatusCode, Is.EqualTo(400));
        Assert.That(e.IsTransient, Is.False);
        Assert.That(_rig.Fake.ActivitiesIn(Thread), Is.Empty);
    }

    [Test]
    public async Task UpdateAsync_ExistingActivity_ReplacedAtEncodedPath()
    {
        var id = await SendAsync(Thread);

        await _rig.Connector.UpdateAsync(_rig.Fake.ServiceUrl, Thread, id!, AdaptiveCardRenderer.TextActivity("edited"), CancellationToken.None);

        var call = _rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.UpdateActivity).Single();
        Assert.That(call.HttpMethod, Is.EqualTo("PUT"));
        Assert.That(call.RawPath, Is.EqualTo($"/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1767000000001/activities/{id}"));
        Assert.That(call.Body!["id"]!.GetValue<string>(), Is.EqualTo(id));
        var activity = _rig.Fake.FindActivity(Thread, id!)!;
        Assert.That(activity.Text, Is.EqualTo("edited"));
        Assert.That(activity.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task CreateChannelThreadAsync_Body_IsTeamsChannelThreadShape()
    {
        var thread = await _rig.Connector.CreateChannelThreadAsync(_rig.Fake.ServiceUrl, "19:chan@thread.tacv2", "tenant-1", AdaptiveCardRenderer.TextActivity("root"), CancellationToken.None);

        var body = _rig.Fake.Conversations.Single().Body;
        Assert.That(body["isGroup"]!.GetValue<bool>(), Is.True);
        Assert.That(body["channelData"]!["channel"]!["id"]!.GetValue<string>(), Is.EqualTo("19:chan@thread.tacv2"));
        Assert.That(body["activity"]!["text"]!.GetValue<string>(), Is.EqualTo("root"));
        Assert.That(body["tenantId"]!.GetValue<string>(), Is.EqualTo("tenant-1"));
        Assert.That(thread.Id, Is.EqualTo($"19:chan@thread.tacv2;messageid={thread.ActivityId}"));
    }

    [Test]
    public async Task SendAsync_TokenRevoked_RefreshesAndRetriesOnce()
    {
        await SendAsync(Thread);
        _rig.Fake.RevokeTokens();

        var id = await SendAsync(Thread);

        Assert.That(id, Is.Not.Null);
        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity).Select(c => c.Status), Is.EqualTo(new[] { 201, 401, 201 }));
        Assert.That(_rig.Fake.TokenRequestCount(FakeTeamsServer.BotConnectorScope), Is.EqualTo(2));
    }

    [Test]
    public async Task SendAsync_401Twice_GivesUpAfterOneRetry()
    {
        _rig.Fake.FailNext(FakeTeamsRoutes.SendActivity, 2, 401);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => SendAsync(Thread));

        Assert.That(e!.StatusCode, Is.EqualTo(401));
        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task SendAsync_429WithRetryAfter_ExceptionCarriesIt()
    {
        _rig.Fake.FailNext(FakeTeamsRoutes.SendActivity, 1, 429, retryAfterSeconds: 17);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => SendAsync(Thread));

        Assert.That(e!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(17)));
        Assert.That(e.IsTransient, Is.True);
    }

    [Test]
    public async Task SendAsync_404_PermanentWithErrorCode()
    {
        _rig.Fake.FailNext(FakeTeamsRoutes.SendActivity, 1, 404);

        var e = await Assert.ThrowsAsync<TeamsApiException>(() => SendAsync(Thread));

        Assert.That(e!.IsTransient, Is.False);
        Assert.That(e.Message, Does.Contain("NotFound"));
    }
}
