using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Moq;

namespace IncidentBot.Core.Tests.FollowUps;

public sealed class FollowUpHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("U1", "Ada");
    private static readonly Person Grace = new("U2", "Grace");
    private static readonly CommandContext AsAda = new("slack", "T1", "C42", Ada);

    private Mock<IIncidentStore> _store = null!;
    private HandlerServices _services = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new Mock<IIncidentStore>(MockBehavior.Strict);
        _store.Setup(s => s.NextFollowUpNumberAsync("slack", "T1", It.IsAny<CancellationToken>())).ReturnsAsync(7);
        _services = new HandlerServices(_store.Object, new FixedClock(Now), ReminderPolicy.Default, []);
    }

    private static Incident Incident(params FollowUp[] followUps) => new()
    {
        Id = 3,
        Platform = "slack",
        WorkspaceId = "T1",
        Number = 12,
        Title = "Checkout errors",
        Commander = Ada,
        DeclaredBy = Ada,
        DeclaredAt = Now.AddHours(-2),
        State = IncidentState.Resolved,
        Version = 5,
        FollowUps = [.. followUps],
    };

    private static FollowUp Open(int number, Person? owner = null) => new() { Number = number, Text = "add an alert", Owner = owner, CreatedBy = Ada, CreatedAt = Now.AddHours(-1) };

    [Test]
    public async Task Add_TakesWorkspaceNumber_SavesWithEntryAndAnchoredCard()
    {
        var decision = await new AddFollowUpHandler(_services).DecideAsync(new AddFollowUpCommand("add an alert", Grace, new DueSpec(null, 7)), Incident(), AsAda, CancellationToken.None);

        var change = decision.Change!;
        var followUp = change.Incident.FollowUps.Single();
        Assert.That(followUp.Number, Is.EqualTo(7));
        Assert.That(followUp.Owner, Is.EqualTo(Grace));
        Assert.That(followUp.Due, Is.EqualTo(new DateOnly(2026, 11, 9)));
        Assert.That(change.Incident.Version, Is.EqualTo(6));
        Assert.That(change.KeepsReminder, Is.True);
        Assert.That(change.Entries.Single().Kind, Is.EqualTo(TimelineKind.FollowUpAdded));
        var posted = change.Messages.Single();
        Assert.That((posted.Operation, posted.Anchor), Is.EqualTo((ChatOperation.Post, "followup:7")));
        Assert.That(posted.Message!.Buttons.Select(b => (b.ActionId, b.Value)), Is.EqualTo(new[] { ("followup.done:7", "3"), ("followup.assign_me:7", "3") }));
        Assert.That(posted.Message.Mentions, Is.EqualTo(new[] { "U2" }));
        Assert.That(decision.Reply.Display, Is.EqualTo(ReplyDisplay.Card));
    }

    [Test]
    public async Task Done_Open_DoneAndCardRefreshedWithoutButtons()
    {
        var decision = await new FollowUpDoneHandler(_services).DecideAsync(new FollowUpDoneCommand(4), Incident(Open(4)), AsAda, CancellationToken.None);

        var change = decision.Change!;
        Assert.That(change.Incident.FollowUp(4)!.State, Is.EqualTo(FollowUpState.Done));
        Assert.That(change.Incident.FollowUp(4)!.ClosedAt, Is.EqualTo(Now));
        var update = change.Messages.Single();
        Assert.That((update.Operation, update.Anchor), Is.EqualTo((ChatOperation.Update, "followup:4")));
        Assert.That(update.Message!.Buttons, Is.Empty);
        Assert.That(change.Entries.Single().Text, Does.Contain("follow-up 4 done"));
    }

    [Test]
    public async Task Done_UnknownOrOtherIncidentsNumber_PrivateAnswerNothingChanged()
    {
        var decision = await new FollowUpDoneHandler(_services).DecideAsync(new FollowUpDoneCommand(9), Incident(Open(4)), AsAda, CancellationToken.None);

        Assert.That(decision.Change, Is.Null);
        Assert.That(decision.Reply.Display, Is.EqualTo(ReplyDisplay.Private));
        Assert.That(decision.Reply.Text.PlainText, Does.Contain("INC-12 has no follow-up 9").And.Contain("followups"));
    }

    [Test]
    public async Task Done_AlreadyDone_Refused()
    {
        var done = Open(4) with { State = FollowUpState.Done };

        var decision = await new FollowUpDoneHandler(_services).DecideAsync(new FollowUpDoneCommand(4), Incident(done), AsAda, CancellationToken.None);

        Assert.That(decision.Change, Is.Null);
        Assert.That(decision.Reply.Text.PlainText, Does.Contain("already done"));
    }

    [Test]
    public async Task Drop_KeepsReasonOnFollowUpCardAndEntry()
    {
        var decision = await new DropFollowUpHandler(_services).DecideAsync(new DropFollowUpCommand(4, "service retired"), Incident(Open(4)), AsAda, CancellationToken.None);

        var dropped = decision.Change!.Incident.FollowUp(4)!;
        Assert.That((dropped.State, dropped.DropReason), Is.EqualTo((FollowUpState.Dropped, "service retired")));
        Assert.That(decision.Change.Messages.Single().Message!.Fields, Does.Contain(new MessageField("Reason", "service retired")));
        Assert.That(decision.Change.Entries.Single().Text, Does.EndWith("service retired"));
    }

    [Test]
    public async Task Assign_WithoutOwner_AssignsTheClicker()
    {
        var decision = await new AssignFollowUpHandler(_services).DecideAsync(new AssignFollowUpCommand(4, null), Incident(Open(4)), AsAda with { User = Grace }, CancellationToken.None);

        Assert.That(decision.Change!.Incident.FollowUp(4)!.Owner, Is.EqualTo(Grace));
        Assert.That(decision.Change.Messages.Single().Message!.Fields[0], Is.EqualTo(new MessageField("Owner", "Grace")));
    }

    [Test]
    public async Task Assign_SameOwner_RefusedNothingChanged()
    {
        var decision = await new AssignFollowUpHandler(_services).DecideAsync(new AssignFollowUpCommand(4, Grace), Incident(Open(4, Grace)), AsAda, CancellationToken.None);

        Assert.That(decision.Change, Is.Null);
    }

    [Test]
    public async Task Due_Relative_ResolvedFromToday()
    {
        var decision = await new FollowUpDueHandler(_services).DecideAsync(new FollowUpDueCommand(4, new DueSpec(null, 1)), Incident(Open(4)), AsAda, CancellationToken.None);

        Assert.That(decision.Change!.Incident.FollowUp(4)!.Due, Is.EqualTo(new DateOnly(2026, 11, 3)));
        Assert.That(decision.Reply.Text.PlainText, Is.EqualTo("Follow-up 4 is due 2026-11-03."));
    }

    [Test]
    public async Task List_ShowsIdTextOwnerDueStateAndTracker()
    {
        var tracked = Open(4, Grace) with { Due = new DateOnly(2026, 11, 20), TrackerUrl = "https://github.com/acme/app/issues/9" };
        var dropped = Open(5) with { State = FollowUpState.Dropped, DropReason = "duplicate" };

        var decision = await new ListFollowUpsHandler().DecideAsync(new ListFollowUpsCommand(), Incident(tracked, dropped), AsAda, CancellationToken.None);

        var text = decision.Reply.Text.PlainText;
        Assert.That(decision.Change, Is.Null);
        Assert.That(text, Does.Contain("4 add an alert | Grace | due 2026-11-20 | open | tracker"));
        Assert.That(text, Does.Contain("5 add an alert | unassigned | due - | dropped: duplicate"));
        Assert.That(decision.Reply.Text.Runs.OfType<LinkRun>().Single().Url, Is.EqualTo("https://github.com/acme/app/issues/9"));
    }

    /// <summary>The nudge of follow-up 4 (Grace's, due 2026-10-31) on a platform that delivers direct messages as <paramref name="direct"/>.</summary>
    private static IReadOnlyList<OutgoingMessage> Nudge(string platform, DirectMessages direct)
    {
        var services = new HandlerServices(new Mock<IIncidentStore>(MockBehavior.Strict).Object, new FixedClock(Now), ReminderPolicy.Default,
            [new PlatformSettings(platform, null, []) { DirectMessages = direct }]);
        var change = new FollowUpNudges(services).Change(Incident(Open(4, Grace) with { Due = new DateOnly(2026, 10, 31) }) with { Platform = platform }, 4);
        Assert.That(change, Is.Not.Null, "overdue since 2026-11-01");
        return change!.Messages;
    }

    [Test]
    public void Nudge_WhereConversationExists_MentionInTheIncidentAndADirectMessageForTheOwnerToLookUp()
    {
        var messages = Nudge("teams", DirectMessages.WhereConversationExists);

        Assert.That(messages.Select(m => (m.Operation, m.ConversationId, m.RecipientId)), Is.EqualTo(new (ChatOperation, string?, string?)[]
        {
            (ChatOperation.Post, null, null),
            (ChatOperation.PostDirect, null, Grace.Id),
        }));
        var direct = messages[1];
        Assert.That(direct.IncidentId, Is.EqualTo(3), "the incident names the workspace to look the conversation up in");
        Assert.That(direct.Message!.Mentions, Is.EqualTo(new[] { Grace.Id }));
        Assert.That(direct.Message.LinksIncidentConversation, Is.True);
        Assert.That(direct.Message.Text.PlainText, Does.Contain("follow-up 4 of INC-12 was due 2026-10-31"));
        Assert.That(direct.OrderKey, Is.EqualTo("teams:direct:U2"), "its own queue: a wait for it holds up nothing in the incident conversation");
    }

    [Test]
    public void Nudge_ByUserId_DirectMessagePostedToTheUserId()
    {
        var messages = Nudge("slack", DirectMessages.ByUserId);

        Assert.That(messages.Select(m => (m.Operation, m.ConversationId)), Is.EqualTo(new (ChatOperation, string?)[] { (ChatOperation.Post, null), (ChatOperation.Post, Grace.Id) }));
        Assert.That(messages[1].Message!.LinksIncidentConversation, Is.True);
    }

    [Test]
    public void Nudge_NoDirectMessages_OnlyTheMention()
    {
        var message = Nudge("sandbox", DirectMessages.None).Single();

        Assert.That((message.Operation, message.ConversationId), Is.EqualTo((ChatOperation.Post, (string?)null)));
        Assert.That(message.Message!.Mentions, Is.EqualTo(new[] { Grace.Id }));
    }
}
