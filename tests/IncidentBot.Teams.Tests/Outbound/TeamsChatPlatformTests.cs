using System.Text.Json.Nodes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>Posting, updating and topics against the fake Bot Connector, and how failures are classified.</summary>
public sealed class TeamsChatPlatformTests
{
    private const string IncidentThread = "19:incidents0000@thread.tacv2;messageid=1767000000000";
    private TeamsOutboundRig _rig = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _rig = await TeamsOutboundRig.StartAsync();
        _rig.Context.Incident = _rig.Context.Incident with { ConversationId = IncidentThread, ServiceUrl = _rig.Fake.ServiceUrl.TrimEnd('/') };
    }

    [TearDown]
    public async Task TearDownAsync() => await _rig.DisposeAsync();

    private static OutgoingMessage Post(ChatMessage? message = null, string? conversation = null, string? anchor = null) => new()
    {
        Platform = "teams",
        Operation = ChatOperation.Post,
        ConversationId = conversation,
        Anchor = anchor,
        Message = message ?? new ChatMessage { Title = "Hello", Text = "hello" },
    };

    private static OutgoingMessage Update(ChatMessage message) => new()
    {
        Platform = "teams",
        Operation = ChatOperation.Update,
        Anchor = IncidentMessages.HeaderAnchor,
        Message = message,
    };

    [Test]
    public async Task Post_HeaderWithAnchor_EncodedPathCardAndAnchorRemembered()
    {
        var header = IncidentMessages.Header(_rig.Context.Incident);

        Assert.That(await _rig.DeliverAsync(Post(header, anchor: IncidentMessages.HeaderAnchor)), Is.TypeOf<Delivered>());

        var call = _rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.SendActivity).Single();
        Assert.That(call.RawPath, Is.EqualTo("/v3/conversations/19%3Aincidents0000%40thread.tacv2%3Bmessageid%3D1767000000000/activities"));
        var activity = _rig.Fake.ActivitiesIn(IncidentThread).Single();
        Assert.That(_rig.Context.Anchors[IncidentMessages.HeaderAnchor], Is.EqualTo($"{IncidentThread}\n{activity.Id}"));
        Assert.That(activity.Card!["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("INC-12: Checkout errors"));
        Assert.That(activity.Activity["entities"]![0]!["mentioned"]!["name"]!.GetValue<string>(), Is.EqualTo("Alice Example"));
    }

    [Test]
    public async Task Post_FollowUpCard_MentionsItsOwnerByName()
    {
        var dave = new Person("29:dave", "Dave Example");
        var followUp = new Core.FollowUps.FollowUp { Number = 1, Text = "Alert on latency", Owner = dave, CreatedBy = _rig.Context.Incident.Commander, CreatedAt = _rig.Clock.GetUtcNow() };
        _rig.Context.Incident = _rig.Context.Incident with { FollowUps = [followUp] };

        await _rig.DeliverAsync(Core.FollowUps.FollowUpMessages.Posted(_rig.Context.Incident, followUp));

        var activity = _rig.Fake.ActivitiesIn(IncidentThread).Single();
        Assert.That(activity.Activity["entities"]![0]!["mentioned"]!["name"]!.GetValue<string>(), Is.EqualTo("Dave Example"), "not the id: the owner has no role");
        Assert.That(activity.Card!["body"]!.AsArray().Select(b => (string?)b!["text"]), Does.Contain("<at>Dave Example</at>"));
    }

    [Test]
    public async Task Post_AnchoredPostDeliveredAgain_PostedOnce()
    {
        var header = Post(IncidentMessages.Header(_rig.Context.Incident), anchor: IncidentMessages.HeaderAnchor);
        await _rig.DeliverAsync(header);
        var anchor = _rig.Context.Anchors[IncidentMessages.HeaderAnchor];

        Assert.That(await _rig.DeliverAsync(header), Is.TypeOf<Delivered>());

        Assert.That(_rig.Fake.ActivitiesIn(IncidentThread), Has.Count.EqualTo(1));
        Assert.That(_rig.Context.Anchors[IncidentMessages.HeaderAnchor], Is.EqualTo(anchor));
    }

    [Test]
    public async Task Post_ToBareChannel_StartsThreadThere()
    {
        var announcement = DeclareMessages.Announcement(_rig.Context.Incident);

        Assert.That(await _rig.DeliverAsync(Post(announcement, conversation: "19:announce@thread.tacv2", anchor: "announcement")), Is.TypeOf<Delivered>());

        var thread = _rig.Fake.Conversations.Single();
        Assert.That(thread.ChannelId, Is.EqualTo("19:announce@thread.tacv2"));
        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity), Is.Empty);
        Assert.That(_rig.Context.Anchors["announcement"], Is.EqualTo($"{thread.Id}\n{thread.Id.Split('=')[1]}"));
    }

    [Test]
    public async Task Post_IncidentConversationNotYetCreated_Transient()
    {
        _rig.Context.Incident = _rig.Context.Incident with { ConversationId = null };

        var result = await _rig.DeliverAsync(Post());

        Assert.That(result, Is.EqualTo(new TransientFailure("incident conversation not created yet")));
        Assert.That(_rig.Fake.Calls, Is.Empty);
    }

    [Test]
    public async Task Update_AfterPost_PutsNewCardToAnchoredActivity()
    {
        var incident = _rig.Context.Incident;
        await _rig.DeliverAsync(Post(IncidentMessages.Header(incident), anchor: IncidentMessages.HeaderAnchor));
        var posted = _rig.Fake.ActivitiesIn(IncidentThread).Single();

        var acknowledged = incident with { State = Core.Incidents.IncidentState.Acknowledged };
        Assert.That(await _rig.DeliverAsync(Update(IncidentMessages.Header(acknowledged))), Is.TypeOf<Delivered>());

        var call = _rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.UpdateActivity).Single();
        Assert.That(call.RawPath, Is.EqualTo($"/v3/conversations/19%3Aincidents0000%40thread.tacv2%3Bmessageid%3D1767000000000/activities/{posted.Id}"));
        var latest = _rig.Fake.FindActivity(IncidentThread, posted.Id)!;
        Assert.That(latest.Version, Is.EqualTo(2));
        Assert.That(latest.Card!.ToJsonString(), Does.Contain("Acknowledged"));
    }

    [Test]
    public async Task Update_AnchorInAnotherConversation_UsesTheAnchorsConversation()
    {
        await _rig.DeliverAsync(Post(conversation: "19:announce@thread.tacv2", anchor: IncidentMessages.HeaderAnchor));
        var thread = _rig.Fake.Conversations.Single();

        await _rig.DeliverAsync(Update(new ChatMessage { Text = "edited" }));

        Assert.That(_rig.Fake.SuccessfulCallsTo(FakeTeamsRoutes.UpdateActivity).Single().Path, Is.EqualTo($"/v3/conversations/{thread.Id}/activities/{thread.Id.Split('=')[1]}"));
        Assert.That(_rig.Fake.ActivitiesIn(thread.Id).Single().Card!.ToJsonString(), Does.Contain("edited"));
    }

    [Test]
    public async Task Update_NoAnchor_Permanent()
    {
        var result = await _rig.DeliverAsync(Update(new ChatMessage { Text = "x" }));

        Assert.That(result, Is.EqualTo(new PermanentFailure("no 'header' message to update")));
    }

    [TestCase(ChatOperation.SetTopic)]
    [TestCase(ChatOperation.ArchiveConversation)]
    public async Task NoSuchThingOnTeams_DeliveredWithoutACall(ChatOperation operation)
    {
        var result = await _rig.DeliverAsync(new OutgoingMessage { Platform = "teams", Operation = operation, Message = new ChatMessage { Text = "topic" } });

        Assert.That(result, Is.TypeOf<Delivered>());
        Assert.That(_rig.Fake.Calls, Is.Empty);
    }

    [TestCase(412)]
    [TestCase(502)]
    [TestCase(504)]
    [TestCase(408)]
    [TestCase(500)]
    public async Task Post_RetryableStatus_Transient(int status)
    {
        _rig.Fake.FailNext(FakeTeamsRoutes.SendActivity, 1, status);

        Assert.That(await _rig.DeliverAsync(Post()), Is.TypeOf<TransientFailure>());
    }

    [Test]
    public async Task Post_404_PermanentNamingTheErrorCode()
    {
        _rig.Fake.FailNext(FakeTeamsRoutes.SendActivity, 1, 404);

        var result = await _rig.DeliverAsync(Post());

        Assert.That(result, Is.TypeOf<PermanentFailure>());
        Assert.That(((PermanentFailure)result).Error, Does.Contain("404").And.Contain("NotFound"));
    }

    [Test]
    public async Task Post_TokenRevoked_RefreshedAndDelivered()
    {
        await _rig.DeliverAsync(Post());
        _rig.Fake.RevokeTokens();

        Assert.That(await _rig.DeliverAsync(Post()), Is.TypeOf<Delivered>());

        Assert.That(_rig.Fake.TokenRequestCount(FakeTeamsServer.BotConnectorScope), Is.EqualTo(2));
        Assert.That(_rig.Fake.ActivitiesIn(IncidentThread), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Post_ServiceUnreachable_Transient()
    {
        _rig.Context.Incident = _rig.Context.Incident with { ServiceUrl = "http://127.0.0.1:1/" };

        Assert.That(await _rig.DeliverAsync(Post()), Is.TypeOf<TransientFailure>());
    }

    [Test]
    public async Task Post_CardOnly_NoTextBesideTheAttachment()
    {
        await _rig.DeliverAsync(Post());

        var activity = _rig.Fake.ActivitiesIn(IncidentThread).Single().Activity;
        Assert.That(activity["text"], Is.Null);
        Assert.That(((JsonArray)activity["attachments"]!).Single()!["contentType"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
    }
}
