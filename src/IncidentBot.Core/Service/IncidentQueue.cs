namespace IncidentBot.Core.Service;

/// <summary>
/// Runs the commands of one incident one after another in this process, so that a burst on one incident (Socket
/// Mode hands the bot envelopes as fast as Slack sends them) never ends in "changing fast, try again" for a race
/// of our own making; the version check and its retries remain for writers in other replicas. Keyed by the
/// incident id or the conversation, whichever the command names; 64 stripes, first come first served.
/// </summary>
internal sealed class IncidentQueue
{
    private const int Stripes = 64;
    private readonly object _gate = new();
    private readonly Task[] _tails = Enumerable.Repeat(Task.CompletedTask, Stripes).ToArray();

    public async Task<T> RunAsync<T>(string key, Func<Task<T>> work)
    {
        var stripe = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Stripes);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            previous = _tails[stripe];
            _tails[stripe] = done.Task;
        }

        try
        {
            await previous;
            return await work();
        }
        finally
        {
            done.SetResult();
        }
    }
}
