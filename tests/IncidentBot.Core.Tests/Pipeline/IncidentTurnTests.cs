using IncidentBot.Core.Incidents;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using Moq;

namespace IncidentBot.Core.Tests.Pipeline;

/// <summary>How a turn saves: handed on at once on a store that commits in call order, held until saved elsewhere.</summary>
public sealed class IncidentTurnTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly Queue<TaskCompletionSource<SaveResult>> _saves = new();

    private static IncidentChange Change(int version) => new()
    {
        Incident = new Incident
        {
            Id = 1, Platform = "slack", WorkspaceId = "T1", Title = "x", Commander = new Person("U1", "Ada"), DeclaredBy = new Person("U1", "Ada"), Version = version,
        },
    };

    /// <summary>A store whose saves end only when the test ends them, in order.</summary>
    private IIncidentStore Store(bool ordered)
    {
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        Task<SaveResult> Queue()
        {
            var save = new TaskCompletionSource<SaveResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _saves.Enqueue(save);
            return save.Task;
        }

        if (ordered)
        {
            // Queued at once, committed when the test says so.
            store.As<IOrderedSaves>().Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<Action>(), It.IsAny<CancellationToken>()))
                .Returns((IncidentChange _, Action queued, CancellationToken _) =>
                {
                    var saving = Queue();
                    queued();
                    return saving;
                });
        }
        else
        {
            store.Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<CancellationToken>())).Returns(Queue);
        }

        return store.Object;
    }

    /// <summary>A first turn on incident 1 that has started saving version 2.</summary>
    private async Task<(IncidentGate Gate, IIncidentStore Store, IncidentTurn First, Task<SaveResult> Saving)> FirstSavingAsync(bool ordered)
    {
        var gate = new IncidentGate();
        var store = Store(ordered);
        var first = await gate.EnterAsync(1, CancellationToken.None);
        return (gate, store, first, first.SaveAsync(store, Change(2), CancellationToken.None));
    }

    [Test]
    public async Task Save_OrderedStore_HandsTheTurnOnWithTheChangedIncidentBeforeTheCommit()
    {
        var (gate, _, first, saving) = await FirstSavingAsync(ordered: true);
        var second = gate.EnterAsync(1, CancellationToken.None);

        using var next = await second.WaitAsync(Deadline);
        Assert.That(saving.IsCompleted, Is.False, "the first still commits");
        Assert.That(next.HandedOn()?.Version, Is.EqualTo(2), "the next decides on the first's change");
        _saves.Dequeue().SetResult(SaveResult.Saved);
        Assert.That(await saving, Is.EqualTo(SaveResult.Saved));
        first.Dispose();
        Assert.That(next.HandedOn()?.Version, Is.EqualTo(2), "still handed on after the commit, while the incident has users");
    }

    [Test]
    public async Task Save_OrderedStoreCommittingOnTheCallersThread_HandsTheTurnOnBeforeItCommits()
    {
        var gate = new IncidentGate();
        bool? nextEnteredBeforeTheCommit = null;
        Task<IncidentTurn>? second = null;
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        store.As<IOrderedSaves>().Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<Action>(), It.IsAny<CancellationToken>()))
            .Returns((IncidentChange _, Action queued, CancellationToken _) =>
            {
                // As SQLite's group commit does with nothing under way: queued, then committed here, then answered.
                queued();
                second = gate.EnterAsync(1, CancellationToken.None);
                nextEnteredBeforeTheCommit = second.IsCompletedSuccessfully;
                return Task.FromResult(SaveResult.Saved);
            });
        var first = await gate.EnterAsync(1, CancellationToken.None);

        Assert.That(await first.SaveAsync(store.Object, Change(2), CancellationToken.None), Is.EqualTo(SaveResult.Saved));

        Assert.That(nextEnteredBeforeTheCommit, Is.True, "the next change is decided while this one commits");
        using var next = await second!;
        Assert.That(next.HandedOn()?.Version, Is.EqualTo(2));
        first.Dispose();
    }

    [Test]
    public async Task Save_UnorderedStore_KeepsTheTurnUntilSaved()
    {
        var (gate, _, first, saving) = await FirstSavingAsync(ordered: false);
        var second = gate.EnterAsync(1, CancellationToken.None);

        Assert.That(second.IsCompleted, Is.False, "another replica might commit in between: the turn is held");
        _saves.Dequeue().SetResult(SaveResult.Saved);
        await saving;
        first.Dispose();
        using var next = await second.WaitAsync(Deadline);
        Assert.That(next.HandedOn(), Is.Null, "reads the store");
    }

    [Test]
    public async Task Save_ConflictWhileTheNextDecides_NextHandsNothingOnAndLaterTurnsReadTheStore()
    {
        var (gate, store, first, firstSaving) = await FirstSavingAsync(ordered: true);
        var second = await gate.EnterAsync(1, CancellationToken.None).WaitAsync(Deadline);
        Assert.That(second.HandedOn()?.Version, Is.EqualTo(2));

        // Another replica changed the incident: the first's change, and so the second's built on it, are lost.
        _saves.Dequeue().SetResult(SaveResult.Conflict);
        Assert.That(await firstSaving, Is.EqualTo(SaveResult.Conflict));
        var secondSaving = second.SaveAsync(store, Change(3), CancellationToken.None);

        using var third = await gate.EnterAsync(1, CancellationToken.None).WaitAsync(Deadline);
        Assert.That(third.HandedOn(), Is.Null, "a change decided on a lost one is not handed on");
        _saves.Dequeue().SetResult(SaveResult.Conflict);
        Assert.That(await secondSaving, Is.EqualTo(SaveResult.Conflict));
        first.Dispose();
        second.Dispose();
    }

    [Test]
    public async Task Save_StoreThrows_ForgetsAndRethrows()
    {
        var (gate, _, first, saving) = await FirstSavingAsync(ordered: true);

        _saves.Dequeue().SetException(new InvalidOperationException("database down"));

        Assert.That(async () => await saving, Throws.InvalidOperationException);
        first.Dispose();
        using var next = await gate.EnterAsync(1, CancellationToken.None);
        Assert.That(next.HandedOn(), Is.Null);
    }

    [Test]
    public async Task Dispose_AfterSaves_IncidentForgotten()
    {
        var (gate, _, first, saving) = await FirstSavingAsync(ordered: true);

        Assert.That(gate.ActiveCount, Is.EqualTo(1), "kept while its change commits");
        _saves.Dequeue().SetResult(SaveResult.Saved);
        await saving;
        first.Dispose();

        Assert.That(gate.ActiveCount, Is.Zero);
        using var next = await gate.EnterAsync(1, CancellationToken.None);
        Assert.That(next.HandedOn(), Is.Null, "an idle incident is read from the store again");
    }
}
