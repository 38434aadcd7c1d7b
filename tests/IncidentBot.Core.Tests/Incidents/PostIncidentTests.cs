using IncidentBot.Core.Commands;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Moq;

namespace IncidentBot.Core.Tests.Incidents;

/// <summary>After the incident: review, close (and what open follow-ups do to it), and a closed incident.</summary>
public sealed class PostIncidentTests
{
    private static readonly DateTimeOffset Declared = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("U1", "Ada");
    private static readonly Person Grace = new("U2", "Grace");

    private static Incident Incident(IncidentState state, params FollowUp[] followUps) => new()
    {
        Id = 1,
        Platform = "slack",
        WorkspaceId = "T1",
        Number = 7,
        Title = "Checkout errors",
        Commander = Ada,
        DeclaredBy = Ada,
        DeclaredAt = Declared,
        AcknowledgedAt = Declared.AddMinutes(2),
        MitigatedAt = Declared.AddMinutes(10),
        ResolvedAt = Declared.AddMinutes(30),
        State = state,
        Version = 4,
        FollowUps = [.. followUps],
    };

    private static FollowUp FollowUp(int number, FollowUpState state = FollowUpState.Open) =>
        new() { Number = number, Text = $"action {number}", State = state, CreatedBy = Ada, CreatedAt = Declared };

    private static Decision Decide(Incident incident, TransitionCommand command, DateTimeOffset now, Person? user = null)
    {
        var services = new HandlerServices(Mock.Of<IIncidentStore>(), new FixedClock(now), ReminderPolicy.Default, []);
        return new TransitionHandler(services).DecideAsync(command, incident, new CommandContext("slack", "T1", "C1", user ?? Ada), CancellationToken.None).Result;
    }

    [Test]
    public void Review_Resolved_RecordsReviewerAndWhen_TimeToReviewBesideTheOthers()
    {
        var now = Declared.AddDays(2);

        var decision = Decide(Incident(IncidentState.Resolved), new TransitionCommand(LifecycleAction.Review), now, Grace);

        var reviewed = decision.Change!.Incident;
        Assert.That((reviewed.State, reviewed.ReviewedAt, reviewed.ReviewedBy), Is.EqualTo((IncidentState.Reviewed, now, Grace)));
        Assert.That(reviewed.TimeToReview, Is.EqualTo(TimeSpan.FromDays(2)));
        Assert.That(decision.Change.NextReminderAt, Is.Null, "no reminders after the incident");
        var header = decision.Change.Messages.Single(m => m.Anchor == IncidentMessages.HeaderAnchor).Message!;
        Assert.That(header.Fields, Does.Contain(new MessageField("State", "Reviewed")));
        Assert.That(header.Fields.Single(f => f.Label == "Reviewed").Value, Does.Contain("Grace"));
        var topic = decision.Change.Messages.Single(m => m.Operation == ChatOperation.SetTopic).Message!.Text.PlainText;
        Assert.That(topic, Does.Contain("Reviewed (post-incident)"));
    }

    [Test]
    public void Close_WhileFollowUpsOpen_RefusedSayingWhichAndHow()
    {
        var decision = Decide(Incident(IncidentState.Reviewed, FollowUp(3), FollowUp(4, FollowUpState.Done), FollowUp(5)), new TransitionCommand(LifecycleAction.Close), Declared.AddDays(3));

        Assert.That(decision.Change, Is.Null);
        Assert.That(decision.Reply.Text.PlainText, Does.Contain("2 follow-ups open: 3, 5").And.Contain("close --with-open-followups"));
    }

    [Test]
    public void Close_WithOpenFollowUpsFlag_ClosesAndListsThemInTheClosingEntry()
    {
        var now = Declared.AddDays(3);

        var decision = Decide(Incident(IncidentState.Reviewed, FollowUp(3), FollowUp(4, FollowUpState.Done)), new TransitionCommand(LifecycleAction.Close, WithOpenFollowUps: true), now);

        var closed = decision.Change!.Incident;
        Assert.That((closed.State, closed.ClosedAt), Is.EqualTo((IncidentState.Closed, now)));
        Assert.That(closed.FollowUp(3)!.IsOpen, Is.True, "they stay tracked");
        var entry = decision.Change.Entries.Single();
        Assert.That(entry.Kind, Is.EqualTo(TimelineKind.StateChanged));
        Assert.That(entry.Text, Does.Contain("1 follow-up open, still tracked: 3 action 3 (unassigned, due -)").And.Not.Contain("action 4"));
        var wrapUp = decision.Change.Messages.Single(m => m.Message?.Title?.PlainText == "INC-7 closed").Message!;
        Assert.That(wrapUp.Fields.Select(f => f.Label), Does.Contain("Time to close"));
    }

    [Test]
    public void Close_AllFollowUpsDoneOrDropped_Closes() =>
        Assert.That(Decide(Incident(IncidentState.Reviewed, FollowUp(3, FollowUpState.Dropped)), new TransitionCommand(LifecycleAction.Close), Declared.AddDays(3)).Change!.Incident.State,
            Is.EqualTo(IncidentState.Closed));

    [Test]
    public void Close_NotReviewed_SaysToReviewFirst()
    {
        var decision = Decide(Incident(IncidentState.Resolved), new TransitionCommand(LifecycleAction.Close), Declared.AddDays(3));

        Assert.That(decision.Change, Is.Null);
        Assert.That(decision.Reply.Text.PlainText, Does.Contain("not reviewed yet").And.Contain("review"));
    }

    [TestCase(LifecycleAction.Reopen)]
    [TestCase(LifecycleAction.Acknowledge)]
    [TestCase(LifecycleAction.Close)]
    public void AnyMove_Closed_SaysToDeclareANewIncident(LifecycleAction action) =>
        Assert.That(Decide(Incident(IncidentState.Closed), new TransitionCommand(action), Declared.AddDays(4)).Reply.Text.PlainText, Does.Contain("declare a new incident"));

    [Test]
    public void Reopen_Reviewed_Refused() =>
        Assert.That(Decide(Incident(IncidentState.Reviewed), new TransitionCommand(LifecycleAction.Reopen), Declared.AddDays(4)).Change, Is.Null);

    [TestCase("review", LifecycleAction.Review, false)]
    [TestCase("close", LifecycleAction.Close, false)]
    [TestCase("close --with-open-followups", LifecycleAction.Close, true)]
    public void Parse_PostIncidentVerbs(string text, LifecycleAction action, bool withOpen) =>
        Assert.That(CommandParser.Parse(text), Is.EqualTo(new TransitionCommand(action, withOpen)));

    [Test]
    public void Parse_CloseWithOtherFlag_Help() => Assert.That(CommandParser.Parse("close --force"), Is.TypeOf<HelpCommand>());

    [Test]
    public void IsOpen_PostIncidentStates_NotOpen() =>
        Assert.That(new[] { IncidentState.Resolved, IncidentState.Reviewed, IncidentState.Closed }.Select(s => Incident(s).IsOpen), Is.All.False);
}
