using IncidentBot.Core.Commands;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Tests.FollowUps;

public sealed class FollowUpParserTests
{
    private static readonly Person Grace = new("U2", "Grace");
    private static readonly Mention GraceMention = new("<@U2>", Grace);

    [Test]
    public void Parse_TextOwnerAndDate_AddsWithAll()
    {
        var command = CommandParser.Parse("followup Add an alert on queue depth <@U2> due:2026-12-24", [GraceMention]);

        Assert.That(command, Is.EqualTo(new AddFollowUpCommand("Add an alert on queue depth", Grace, new DueSpec(new DateOnly(2026, 12, 24), null))));
    }

    [Test]
    public void Parse_RelativeDueFirst_DaysFromToday() =>
        Assert.That(CommandParser.Parse("followup due:7d rotate the keys"), Is.EqualTo(new AddFollowUpCommand("rotate the keys", null, new DueSpec(null, 7))));

    [Test]
    public void Parse_TextOnly_UnassignedWithoutDue() =>
        Assert.That(CommandParser.Parse("follow-up  write   the runbook "), Is.EqualTo(new AddFollowUpCommand("write the runbook", null, null)));

    [TestCase("followup fix it due:tomorrow")]
    [TestCase("followup fix it due:2026-02-30")]
    [TestCase("followup due 3 next-week")]
    public void Parse_BadDate_HelpSaysHowToWriteOne(string text)
    {
        var command = CommandParser.Parse(text);

        Assert.That(command, Is.TypeOf<HelpCommand>());
        Assert.That(((HelpCommand)command).Error!.PlainText, Does.Contain("YYYY-MM-DD"));
    }

    [Test]
    public void Parse_Followups_Lists() => Assert.That(CommandParser.Parse("followups"), Is.TypeOf<ListFollowUpsCommand>());

    [Test]
    public void Parse_Done_Number() => Assert.That(CommandParser.Parse("followup done #4"), Is.EqualTo(new FollowUpDoneCommand(4)));

    [Test]
    public void Parse_DropWithReason_KeepsReason() =>
        Assert.That(CommandParser.Parse("followup drop 4 the service is retired"), Is.EqualTo(new DropFollowUpCommand(4, "the service is retired")));

    [Test]
    public void Parse_DropWithoutReason_AsksForIt()
    {
        var command = CommandParser.Parse("followup drop 4");

        Assert.That(((HelpCommand)command).Error!.PlainText, Does.Contain("reason"));
    }

    [Test]
    public void Parse_AssignMention_NamesOwner() =>
        Assert.That(CommandParser.Parse("followup assign 2 <@U2>", [GraceMention]), Is.EqualTo(new AssignFollowUpCommand(2, Grace)));

    [Test]
    public void Parse_AssignWithoutMention_AsksForOne() =>
        Assert.That(((HelpCommand)CommandParser.Parse("followup assign 2 grace")).Error!.PlainText, Does.Contain("@mention"));

    [TestCase("followup due 5 2027-01-31", 2027, 1, 31)]
    [TestCase("followup due 5 due:2027-01-31", 2027, 1, 31)]
    public void Parse_DueDate_Absolute(string text, int year, int month, int day) =>
        Assert.That(CommandParser.Parse(text), Is.EqualTo(new FollowUpDueCommand(5, new DueSpec(new DateOnly(year, month, day), null))));

    [TestCase("followup done")]
    [TestCase("followup done x")]
    [TestCase("followup done 0")]
    [TestCase("followup assign -1 <@U2>")]
    public void Parse_MissingOrBadId_SaysFollowupsListsThem(string text) =>
        Assert.That(((HelpCommand)CommandParser.Parse(text, [GraceMention])).Error!.PlainText, Does.Contain("followups"));

    [Test]
    public void Parse_Bare_Usage() => Assert.That(CommandParser.Parse("followup"), Is.TypeOf<HelpCommand>());

    [TestCase(ActionIds.FollowUpDone + "7")]
    public void CommandFor_DoneButton_DoneOfThatNumber(string actionId) =>
        Assert.That(ActionIds.CommandFor(actionId), Is.EqualTo(new FollowUpDoneCommand(7)));

    [Test]
    public void CommandFor_AssignMeButton_AssignsTheClicker() =>
        Assert.That(ActionIds.CommandFor(ActionIds.FollowUpAssignMeOf(3)), Is.EqualTo(new AssignFollowUpCommand(3, null)));

    [Test]
    public void CommandFor_FollowUpButtonWithoutNumber_Ignored() => Assert.That(ActionIds.CommandFor(ActionIds.FollowUpDone + "x"), Is.Null);
}
