using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>A direct message (a follow-up's nudge to its owner): sent into the owner's recorded 1:1 conversation, or nowhere.</summary>
public sealed class TeamsChatPlatformDirectTests
{
    private const string IncidentThread = "19:incidents0000@thread.tacv2;messageid=1767000000000";
    private const string Grace1On1 = "a:1grace-personal";
    private static readonly Person Grace = new("29:grace", "Grace Hopper");

    private TeamsOutboundRig _rig = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        // Neither the incident's nor the default service URL answers: only the 1:1's own one does.
        _rig = await TeamsOutboundRig.StartAsync(o => o.DefaultServiceUrl = "http://127.0.0.1:9/");
        var followUp = new FollowUp { Number = 4, Text = "Alert on queue depth", Owner = Grace, Due = new DateOnly(2026, 11, 3), CreatedBy = Grace, CreatedAt = _rig.Context.Incident.DeclaredAt };
        _rig.Context.Incident = _rig.Context.Incident with { ConversationId = IncidentThread, ServiceUrl = "http://127.0.0.1:9/", FollowUps = [followUp] };
    }

    [TearDown]
    public async Task TearDownAsync() => await _rig.DisposeAsync();

    private OutgoingMessage Nudge() => new()
    {
        Platform = "teams",
        Operation = ChatOperation.PostDirect,
        RecipientId = Grace.Id,
        Message = FollowUpMessages.Nudge(_rig.Context.Incident, _rig.Context.Incident.FollowUps[0], Grace) with { LinksIncidentConversation = true },
    };

    private void Record1On1(string workspace) =>
        _rig.Context.DirectConversations[Grace.Id] = new DirectConversation("teams", workspace, Grace.Id, Grace1On1, _rig.Fake.ServiceUrl, _rig.Clock.GetUtcNow());

    [Test]
    public async Task PostDirect_OwnerHasA1On1_CardThereMentioningThemAndLinkingTheIncidentThread()
    {
        Record1On1(_rig.Context.Incident.WorkspaceId);

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<Delivered>());

        var sent = _rig.Fake.Activities.Single();
        Assert.That(sent.ConversationId, Is.EqualTo(Grace1On1), "only into the 1:1, through its own service URL");
        var card = sent.Card!;
        Assert.That(card["version"]!.GetValue<string>(), Is.EqualTo("1.5"));
        Assert.That(card["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("<at>Grace Hopper</at>"));
        Assert.That(sent.Activity["entities"]![0]!["mentioned"]!.ToJsonString(), Is.EqualTo("""{"id":"29:grace","name":"Grace Hopper"}"""));
        Assert.That(card.ToJsonString(), Does.Contain("follow-up **4** of INC-12 was due 2026-11-03")
            .And.Contain("[Open the incident conversation](https://teams.microsoft.com/l/message/19%3Aincidents0000%40thread.tacv2/1767000000000)")
            .And.Contain("followup.done:4"));
    }

    [Test]
    public async Task PostDirect_No1On1InTheIncidentsTenant_DeliveredWithoutAnyCall()
    {
        Record1On1("another-tenant");

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<Delivered>());

        Assert.That(_rig.Fake.Calls, Is.Empty, "nothing sent, not even a token asked for");
    }

    [Test]
    public async Task PostDirect_IncidentConversationNotOpenYet_WaitsForItsLink()
    {
        Record1On1(_rig.Context.Incident.WorkspaceId);
        _rig.Context.Incident = _rig.Context.Incident with { ConversationId = null };

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<TransientFailure>());

        Assert.That(_rig.Fake.Calls, Is.Empty);
    }

    [TestCase(403, FakeTeamsServer.Refusals.NotInRoster)]
    [TestCase(403, FakeTeamsServer.Refusals.BlockedByUser)]
    [TestCase(404, FakeTeamsServer.Refusals.NotFound)]
    public async Task PostDirect_TeamsRefusesThe1On1_ForgottenAndTheNextOneSendsNothing(int status, string code)
    {
        Record1On1(_rig.Context.Incident.WorkspaceId);
        _rig.Fake.RefuseConversation(Grace1On1, status, code);

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<Delivered>(), "she has no 1:1 now: delivered, as where she never had one");

        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity).Single().Status, Is.EqualTo(status), "refused once");
        Assert.That(_rig.Context.DirectConversations, Does.Not.ContainKey(Grace.Id), "forgotten");
        Assert.That(_rig.PlatformLog.Entries.Select(e => e.Id.Id), Does.Contain(3212));
        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<Delivered>());
        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity), Has.Count.EqualTo(1), "the next nudge tries no 1:1");
    }

    [TestCase(429)]
    [TestCase(500)]
    [TestCase(503)]
    public async Task PostDirect_TransientFailure_KeepsThe1On1AndTheRetrySendsThere(int status)
    {
        Record1On1(_rig.Context.Incident.WorkspaceId);
        _rig.Fake.FailNext(FakeTeamsRoutes.SendActivity, 1, status);

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<TransientFailure>());
        Assert.That(_rig.Context.DirectConversations, Does.ContainKey(Grace.Id), "kept");

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<Delivered>());
        Assert.That(_rig.Fake.ActivitiesIn(Grace1On1), Has.Count.EqualTo(1), "the retry reached her 1:1");
    }

    [Test]
    public async Task PostDirect_TokenRefused_KeepsThe1On1()
    {
        Record1On1(_rig.Context.Incident.WorkspaceId);
        _rig.Fake.FailNext(FakeTeamsRoutes.Token, 1, 403);

        Assert.That(await _rig.DeliverAsync(Nudge()), Is.TypeOf<PermanentFailure>(), "our credentials, not her chat");

        Assert.That(_rig.Context.DirectConversations, Does.ContainKey(Grace.Id));
        Assert.That(_rig.Fake.CallsTo(FakeTeamsRoutes.SendActivity), Is.Empty);
    }

    [Test]
    public async Task PostDirect_WithoutRecipient_GivenUpOn()
    {
        Assert.That(await _rig.DeliverAsync(Nudge() with { RecipientId = null }), Is.TypeOf<PermanentFailure>());

        Assert.That(_rig.Fake.Calls, Is.Empty);
    }
}
