using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// Saves queued while a commit is under way go together in the next transaction, in the order they were
/// queued: one durable commit (one fsync) for many changes, each with its own result. A change queued is
/// written whatever becomes of its caller's token, as a commit already under way would be.
/// </summary>
internal sealed class GroupCommit(Func<IReadOnlyList<IncidentChange>, CancellationToken, Task<IReadOnlyList<SaveResult>>> saveTogether)
{
    private readonly object _lock = new();
    private List<Queued> _queue = [];
    private bool _draining;

    /// <summary>Queues <paramref name="change"/> behind every save queued before it; completes once it committed (or did not).</summary>
    public Task<SaveResult> SaveAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<SaveResult>(cancellationToken);
        }

        var queued = new Queued(change, new TaskCompletionSource<SaveResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_lock)
        {
            _queue.Add(queued);
            start = !_draining;
            _draining = true;
        }

        if (start)
        {
            // The store's calls block while SQLite writes: the caller goes on, one pool thread drains.
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return queued.Done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Queued> batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _draining = false;
                    return;
                }

                batch = _queue;
                _queue = [];
            }

            await CommitAsync(batch);
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

    private sealed record Queued(IncidentChange Change, TaskCompletionSource<SaveResult> Done);
}
