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
}
