using IncidentBot.Core.Notes;
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

    [Test]
    public async Task RemoveUnknownId_SaysSoAndChangesNothing()
    {
        var (incident, channel) = await _h.DeclareOpenAsync("Checkout errors");

        var reply = await _h.RunAsync(channel, new RemoveNoteCommand(999_999));

        Assert.That(reply.Changed, Is.False, reply.Text.PlainText);
        Assert.That(reply.Text.PlainText, Does.Contain("has no entry 999999"));
        Assert.That((await _h.Store.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(incident.Version), "nothing written");
    }

    [Test]
    public async Task RemoveAnotherIncidentsEntry_RefusedAndThatEntryStaysInItsDraft()
    {
        var (other, otherChannel) = await _h.DeclareOpenAsync("Search slow");
        await _h.RunAsync(otherChannel, new NoteCommand("kept in INC-1"));
        var note = (await _h.Store.GetTimelineAsync(other.Id, CancellationToken.None)).Single(e => e.Kind == TimelineKind.Note);
        var (_, channel) = await _h.DeclareOpenAsync("Checkout errors");

        var reply = await _h.RunAsync(channel, new RemoveNoteCommand(note.Id));

        Assert.That(reply.Changed, Is.False, reply.Text.PlainText);
        Assert.That(reply.Text.PlainText, Does.Contain($"has no entry {note.Id}"));
        Assert.That((await _h.Store.GetTimelineAsync(other.Id, CancellationToken.None)).Single(e => e.Id == note.Id).Redacted, Is.False);
    }

    [Test]
    public async Task RemoveTwice_SecondSaysAlreadyLeftOut()
    {
        var (incident, channel) = await _h.DeclareOpenAsync("Checkout errors");
        await _h.RunAsync(channel, new NoteCommand("typo"));
        var note = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Kind == TimelineKind.Note);

        var first = await _h.RunAsync(channel, new RemoveNoteCommand(note.Id));
        var second = await _h.RunAsync(channel, new RemoveNoteCommand(note.Id));

        Assert.That(first.Changed, Is.True);
        Assert.That(second.Changed, Is.False);
        Assert.That(second.Text.PlainText, Does.Contain("already left out"));
    }
}
