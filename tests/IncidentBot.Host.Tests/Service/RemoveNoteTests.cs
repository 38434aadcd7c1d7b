using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Service;

/// <summary><c>note --remove &lt;id&gt;</c> with an id that is not this incident's, or already left out: a clear answer, nothing changed.</summary>
public sealed class RemoveNoteTests
{
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    private Task<CommandReply> RunAsync(string conversation, Command command) =>
        _h.Service.ExecuteAsync(command, ServiceHarness.In(conversation), CancellationToken.None);

    private async Task<(Incident Incident, string Channel)> DeclareAsync(string title)
    {
        var incident = await _h.DeclareAsync(title);
        await _h.DrainAsync();
        return (incident, await _h.ConversationOfAsync(incident));
    }

    [Test]
    public async Task RemoveUnknownId_SaysSoAndChangesNothing()
    {
        var (incident, channel) = await DeclareAsync("Checkout errors");

        var reply = await RunAsync(channel, new RemoveNoteCommand(999_999));

        Assert.That(reply.Changed, Is.False, reply.Text);
        Assert.That(reply.Text, Does.Contain("has no entry 999999"));
        Assert.That((await _h.Store.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(incident.Version), "nothing written");
    }

    [Test]
    public async Task RemoveAnotherIncidentsEntry_RefusedAndThatEntryStaysInItsDraft()
    {
        var (other, otherChannel) = await DeclareAsync("Search slow");
        await RunAsync(otherChannel, new NoteCommand("kept in INC-1"));
        var note = (await _h.Store.GetTimelineAsync(other.Id, CancellationToken.None)).Single(e => e.Kind == TimelineKind.Note);
        var (_, channel) = await DeclareAsync("Checkout errors");

        var reply = await RunAsync(channel, new RemoveNoteCommand(note.Id));

        Assert.That(reply.Changed, Is.False, reply.Text);
        Assert.That(reply.Text, Does.Contain($"has no entry {note.Id}"));
        Assert.That((await _h.Store.GetTimelineAsync(other.Id, CancellationToken.None)).Single(e => e.Id == note.Id).Redacted, Is.False);
    }

    [Test]
    public async Task RemoveTwice_SecondSaysAlreadyLeftOut()
    {
        var (incident, channel) = await DeclareAsync("Checkout errors");
        await RunAsync(channel, new NoteCommand("typo"));
        var note = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Kind == TimelineKind.Note);

        var first = await RunAsync(channel, new RemoveNoteCommand(note.Id));
        var second = await RunAsync(channel, new RemoveNoteCommand(note.Id));

        Assert.That(first.Changed, Is.True);
        Assert.That(second.Changed, Is.False);
        Assert.That(second.Text, Does.Contain("already left out"));
    }
}
