using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using Moq;

namespace IncidentBot.Core.Tests.Service;

public sealed class CommandTableTests
{
    private static HandlerServices Services() =>
        new(Mock.Of<IIncidentStore>(), TimeProvider.System, ReminderPolicy.Default, []);

    [Test]
    public void Create_EveryCoreCommandType_HasItsOwnHandler()
    {
        var table = CommandTable.Create(Services());

        Assert.That(CommandTable.CommandTypes, Has.Count.GreaterThanOrEqualTo(13));
        Assert.That(CommandTable.CommandTypes, Does.Contain(typeof(NoteCommand)).And.Contain(typeof(SnoozeCommand)).And.Contain(typeof(HelpCommand)));
        foreach (var type in CommandTable.CommandTypes)
        {
            Assert.That(table.For(type).CommandType, Is.EqualTo(type), type.Name);
        }
    }

    [Test]
    public void Constructor_CommandWithoutHandler_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _ = new CommandTable([new HelpHandler()]));

        Assert.That(error!.Message, Does.Contain(nameof(NoteCommand)).And.Contain(nameof(DeclareCommand)));
        Assert.That(error.Message, Does.Not.Contain(nameof(HelpCommand) + ","));
    }

    [Test]
    public void Constructor_TwoHandlersForOneCommand_Fails()
    {
        var services = Services();
        var handlers = new List<ICommandHandler> { new NoteHandler(services), new NoteHandler(services) };

        var error = Assert.Throws<InvalidOperationException>(() => _ = new CommandTable(handlers));

        Assert.That(error!.Message, Does.Contain("Two handlers for NoteCommand"));
    }

    [Test]
    public void For_CommandTypeUnknownToTheTable_FailsInsteadOfAnsweringWithHelp()
    {
        var table = CommandTable.Create(Services());

        var error = Assert.Throws<InvalidOperationException>(() => table.For(new UnknownCommand()));

        Assert.That(error!.Message, Does.Contain(nameof(UnknownCommand)));
    }

    private sealed record UnknownCommand : Command;
}
