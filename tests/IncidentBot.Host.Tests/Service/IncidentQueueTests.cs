using IncidentBot.Core.Notes;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Service;

/// <summary>A burst of commands on one incident in one process: each waits its turn, none is told to try again.</summary>
public sealed class IncidentQueueTests
{
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    [Test]
    public async Task TwoHundredNotesAtOnce_OneIncident_AllSavedNoneRefused()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => _h.RunAsync(channel, new NoteCommand($"note {i:D2}")))));

        Assert.That(replies.Where(r => !r.Changed).Select(r => r.Text.PlainText), Is.Empty, "no one is told the incident is changing too fast");
        Assert.That(await _h.CountAsync(incident, TimelineKind.Note), Is.EqualTo(200));
    }
}
