using System.Diagnostics;

namespace IncidentBot.Tests.Shared;

/// <summary>Waits for an asynchronous effect with a deadline, instead of sleeping for a guessed time.</summary>
public static class Poll
{
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            if (watch.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>
    /// For effects with no "done" signal (private answers outside the outbox): waits until <paramref name="count"/>
    /// stayed the same for a second, at most ten, and returns it.
    /// </summary>
    public static async Task<int> SettledAsync(Func<int> count)
    {
        var total = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var last = count();
        while (quiet.Elapsed < TimeSpan.FromSeconds(1) && total.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            if (count() != last)
            {
                last = count();
                quiet.Restart();
            }
        }

        return last;
    }
}
