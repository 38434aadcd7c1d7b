using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// Saves queued while a commit is under way go together in the next transaction, in the order they were
/// queued: one durable commit (one fsync) for many changes, each with its own result. A save that finds no
/// commit under way commits on its caller's thread, so a lone change costs no thread hop. A change queued is
/// written whatever becomes of its caller's token, as a commit already under way would be.
/// </summary>
internal sealed class GroupCommit(Func<IReadOnlyList<IncidentChange>, CancellationToken, Task<IReadOnlyList<SaveResult>>> saveTogether)
{
    private readonly object _lock = new();
    private List<Queued> _queue = [];
    private bool _draining;

    /// <summary>Queues <paramref name="change"/> behind every save queued before it; completes once it committed (or did not).</summary>
    /// <remarks><paramref name="onQueued"/> runs once the change is queued, before anything commits it.</remarks>
    public async Task<SaveResult> SaveAsync(IncidentChange change, Action? onQueued, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = Queued.Of(change);
        var lead = Enqueue([queued]);
        try
        {
            // The caller hands its incident's turn on here: the next change to it is decided while this one commits, and queues behind it.
            onQueued?.Invoke();
        }
        finally
        {
            if (lead)
            {
                // Whatever onQueued did, the queue is committed and handed on: nothing queued behind waits for a leader gone.
                await LeadAsync();
            }
        }

        return await queued.Done.Task;
    }

    /// <summary>Queues <paramref name="changes"/> together, in order, behind every save queued before them (a batch from outside a turn).</summary>
    public async Task<IReadOnlyList<SaveResult>> SaveAllAsync(IReadOnlyList<IncidentChange> changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = changes.Select(Queued.Of).ToList();
        if (queued.Count > 0 && Enqueue(queued))
        {
            await LeadAsync();
        }

        return await Task.WhenAll(queued.Select(q => q.Done.Task));
    }

    /// <summary>Adds to the queue; true when no commit is under way, so the caller commits the queue itself.</summary>
    private bool Enqueue(IEnumerable<Queued> saves)
    {
        lock (_lock)
        {
            _queue.AddRange(saves);
            var lead = !_draining;
            _draining = true;
            return lead;
        }
    }

    /// <summary>
    /// No commit was under way: this caller commits the queue (its own changes and whatever joined them) on its own thread,
    /// since SQLite's calls complete in place: no hop to another thread and back. What is queued meanwhile goes to one
    /// pool thread, so this caller's answer waits for no later commit.
    /// </summary>
    private async Task LeadAsync()
    {
        await CommitAsync(TakeBatch());
        if (TakeBatchOrStop() is { } next)
        {
            _ = Task.Run(() => DrainAsync(next), CancellationToken.None);
        }
    }

    private async Task DrainAsync(List<Queued> first)
    {
        for (var batch = first; batch is not null; batch = TakeBatchOrStop())
        {
            await CommitAsync(batch);
        }
    }

    private List<Queued> TakeBatch()
    {
        lock (_lock)
        {
            var batch = _queue;
            _queue = [];
            return batch;
        }
    }

    /// <summary>The saves queued since the last batch was taken; none (and draining stops) when nothing is queued.</summary>
    private List<Queued>? TakeBatchOrStop()
    {
        lock (_lock)
        {
            if (_queue.Count == 0)
            {
                _draining = false;
                return null;
            }

            return TakeBatch();
        }
    }

    private async Task CommitAsync(List<Queued> batch)
    {
        try
        {
            var results = await saveTogether(batch.ConvertAll(q => q.Change), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // Nothing of the batch was written: one change's failure must not become the others', so each alone.
            foreach (var queued in batch)
            {
                await CommitAsync([queued]);
            }
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
        }
    }

    private sealed record Queued(IncidentChange Change, TaskCompletionSource<SaveResult> Done)
    {
        public static Queued Of(IncidentChange change) => new(change, new TaskCompletionSource<SaveResult>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
