using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Testing;
using Moq;

namespace IncidentBot.Host.Tests.Service;

/// <summary>
/// A typed command decides on the incident it found by its conversation when nothing this process wrote since is newer
/// (one read instead of two); after a write of its own, or a conflict, it reads the incident again.
/// </summary>
public sealed class FreshReadTests
{
    private static readonly Person Ada = new("U1", "Ada");
    private Mock<IIncidentStore> _store = null!;
    private Incident _stored = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new Mock<IIncidentStore>();
        _stored = new Incident
        {
            Id = 7, Platform = "slack", WorkspaceId = "T1", Number = 7, Title = "Checkout", Commander = Ada, DeclaredBy = Ada,
            State = IncidentState.Acknowledged, ConversationId = "CINC", Version = 3,
        };
        _store.Setup(s => s.FindByConversationAsync("slack", "CINC", It.IsAny<CancellationToken>())).ReturnsAsync(() => _stored);
        _store.Setup(s => s.GetAsync(7, It.IsAny<CancellationToken>())).ReturnsAsync(() => _stored);
    }

    private IncidentService Service() => new(_store.Object, TestClock.Create(), ReminderPolicy.Default, [new PlatformSettings("slack", null, [])]);

    private static CommandContext In => new("slack", "T1", "CINC", Ada);

    [Test]
    public async Task NothingWrittenSince_TheFoundIncidentIsDecidedOn_NoSecondRead()
    {
        _store.Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<CancellationToken>())).ReturnsAsync(SaveResult.Saved);

        var reply = await Service().ExecuteAsync(new StatusUpdateCommand("Rolling back"), In, CancellationToken.None);

        Assert.That(reply.Changed, Is.True);
        _store.Verify(s => s.GetAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never);
        _store.Verify(s => s.SaveAsync(It.Is<IncidentChange>(c => c.Incident.Version == 4), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task AfterThisProcessWroteANewerVersion_AStaleFoundIncidentIsReadAgain()
    {
        var service = Service();
        _store.Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<CancellationToken>())).ReturnsAsync(SaveResult.Saved);
        await service.ExecuteAsync(new StatusUpdateCommand("first"), In, CancellationToken.None);
        var stale = _stored;
        _stored = _stored with { Version = 4 };

        // The conversation lookup still answers the version before (a replica's read lagging, say).
        _store.Setup(s => s.FindByConversationAsync("slack", "CINC", It.IsAny<CancellationToken>())).ReturnsAsync(stale);
        await service.ExecuteAsync(new StatusUpdateCommand("second"), In, CancellationToken.None);

        _store.Verify(s => s.GetAsync(7, It.IsAny<CancellationToken>()), Times.Once);
        _store.Verify(s => s.SaveAsync(It.Is<IncidentChange>(c => c.Incident.Version == 5), It.IsAny<CancellationToken>()), Times.Once, "decided on the version read again");
    }

    [Test]
    public async Task AConflict_ReadsTheIncidentAgainBeforeDecidingAgain()
    {
        // The first save finds that another replica wrote version 4 a moment before.
        var saves = 0;
        _store.Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            if (++saves > 1)
            {
                return SaveResult.Saved;
            }

            _stored = _stored with { Version = 4 };
            return SaveResult.Conflict;
        });
        var clock = TestClock.Create();
        var service = new IncidentService(_store.Object, clock, ReminderPolicy.Default, [new PlatformSettings("slack", null, [])]);

        var work = service.ExecuteAsync(new StatusUpdateCommand("Rolling back"), In, CancellationToken.None);
        while (!work.IsCompleted)
        {
            clock.Advance(Core.Pipeline.ConflictBackoff.MaxDelay);
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System));
        }

        Assert.That((await work).Changed, Is.True);
        _store.Verify(s => s.GetAsync(7, It.IsAny<CancellationToken>()), Times.Once);
        _store.Verify(s => s.SaveAsync(It.Is<IncidentChange>(c => c.Incident.Version == 5), It.IsAny<CancellationToken>()), Times.Once);
    }
}
