using IncidentBot.Core.Ports;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Storage.Tests.Contract;

namespace IncidentBot.Storage.Tests.Sqlite;

/// <summary>How the SQLite store's group commit hands out the work: who commits, and who waits for whom.</summary>
public sealed class GroupCommitTests
{
    private static IncidentChange Change(long id) => new()
    {
        Incident = IncidentStoreContract.NewDraft(DateTimeOffset.UnixEpoch) with { Id = id, Number = (int)id },
        KeepsReminder = true,
    };

    private static List<SaveResult> AllSaved(IReadOnlyList<IncidentChange> changes) => changes.Select(_ => SaveResult.Saved).ToList();

    /// <summary>A group commit whose every commit saves all its changes, after <paramref name="committing"/> has seen them.</summary>
    private static GroupCommit SavingAll(Action<IReadOnlyList<IncidentChange>> committing) => new((changes, _) =>
    {
        committing(changes);
        return Task.FromResult<IReadOnlyList<SaveResult>>(AllSaved(changes));
    });

    [Test]
    public async Task Save_NothingUnderWay_CommitsOnTheCallersThread()
    {
        var committedOn = new List<int>();
        var commits = SavingAll(_ => committedOn.Add(Environment.CurrentManagedThreadId));

        var caller = Environment.CurrentManagedThreadId;
        var save = commits.SaveAsync(Change(1), null, CancellationToken.None);

        Assert.That(save.IsCompletedSuccessfully, Is.True, "committed before the call returned: no hop to another thread");
        Assert.That(committedOn, Is.EqualTo(new[] { caller }));
        Assert.That(await save, Is.EqualTo(SaveResult.Saved));
    }

    [Test]
    public async Task Save_QueuedWhileACommitIsUnderWay_GoTogetherInTheNextCommit_AndTheFirstCallerDoesNotWaitForIt()
    {
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<long[]>();
        var commits = new GroupCommit(async (changes, _) =>
        {
            lock (batches)
            {
                batches.Add(changes.Select(c => c.Incident.Id).ToArray());
            }

            if (changes[0].Incident.Id == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
            else
            {
                await releaseSecond.Task;
            }

            return AllSaved(changes);
        });

        var first = Task.Run(() => commits.SaveAsync(Change(1), null, CancellationToken.None));
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = commits.SaveAsync(Change(2), null, CancellationToken.None);
        var third = commits.SaveAsync(Change(3), null, CancellationToken.None);
        Assert.That(second.IsCompleted || third.IsCompleted, Is.False, "queued behind the commit under way");

        releaseFirst.SetResult();
        Assert.That(await first.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(SaveResult.Saved), "answered while the next commit still runs");
        Assert.That(second.IsCompleted, Is.False);

        releaseSecond.SetResult();
        Assert.That(await Task.WhenAll(second, third).WaitAsync(TimeSpan.FromSeconds(10)), Is.All.EqualTo(SaveResult.Saved));
        Assert.That(batches, Is.EqualTo(new[] { new long[] { 1 }, [2, 3] }));
    }

    [Test]
    public async Task Save_CallsQueuedBeforeItCommits_AndASaveMadeThenJoinsTheSameCommit()
    {
        var events = new List<string>();
        var commits = SavingAll(changes => events.Add("commit " + string.Join(",", changes.Select(c => c.Incident.Id))));

        Task<SaveResult>? second = null;
        var first = commits.SaveAsync(Change(1), () =>
        {
            events.Add("queued 1");

            // The next change to the incident, decided in the turn handed on here.
            second = commits.SaveAsync(Change(2), () => events.Add("queued 2"), CancellationToken.None);
        }, CancellationToken.None);

        Assert.That(await first, Is.EqualTo(SaveResult.Saved));
        Assert.That(await second!, Is.EqualTo(SaveResult.Saved));
        Assert.That(events, Is.EqualTo(new[] { "queued 1", "queued 2", "commit 1,2" }));
    }

    [Test]
    public async Task Save_QueuedCallbackThrows_TheQueueIsStillCommittedAndLaterSavesLead()
    {
        var committed = new List<long>();
        var commits = SavingAll(changes => committed.AddRange(changes.Select(c => c.Incident.Id)));

        Assert.That(async () => await commits.SaveAsync(Change(1), () => throw new InvalidOperationException("hand-on failed"), CancellationToken.None), Throws.InvalidOperationException);
        Assert.That(await commits.SaveAsync(Change(2), null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(SaveResult.Saved), "not stuck behind a leader that never committed");
        Assert.That(committed, Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public async Task Save_AfterTheQueueDrained_LeadsAgain()
    {
        var committedOn = new List<int>();
        var commits = SavingAll(_ => committedOn.Add(Environment.CurrentManagedThreadId));

        for (var i = 1; i <= 3; i++)
        {
            Assert.That(await commits.SaveAsync(Change(i), null, CancellationToken.None), Is.EqualTo(SaveResult.Saved));
        }

        Assert.That(committedOn, Has.Count.EqualTo(3), "one commit each: none was left waiting for a drain that had stopped");
    }
}
