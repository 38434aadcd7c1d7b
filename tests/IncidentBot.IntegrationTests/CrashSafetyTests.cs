using System.Collections.Concurrent;
using System.Net;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>SIGKILL in the middle of a burst of signed commands, then a restart on the same SQLite file.</summary>
public sealed class CrashSafetyTests : SlackBotFixture
{
    [Test]
    public async Task KillDuringBurst_EveryAcknowledgedCommandKept_EveryMessageDeliveredOnce()
    {
        var (channel, _, _) = await DeclareAsync();
        var acknowledged = new ConcurrentBag<int>();
        const int Burst = 400;
        const int KillAfter = 120;
        var bot = Bot;
        using var killed = new CancellationTokenSource();

        var senders = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < Burst && !killed.IsCancellationRequested; i += 8)
            {
                try
                {
                    using var response = await CommandAsync($"update step {i:D4} done", channel, bot: bot);
                    if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("Status update posted", StringComparison.Ordinal))
                    {
                        acknowledged.Add(i);
                        if (acknowledged.Count >= KillAfter && !killed.IsCancellationRequested)
                        {
                            killed.Cancel();
                            await bot.KillAsync();
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // The process died under this request: it was never acknowledged.
                }
                catch (TaskCanceledException)
                {
                }
            }
        })).ToArray();
        await Task.WhenAll(senders);
        Assert.That(bot.HasExited, Is.True, "the bot was killed mid-burst");
        var deliveredBeforeKill = Slack.Messages.Count(m => m.Text.Contains(" done", StringComparison.Ordinal));

        var restart = System.Diagnostics.Stopwatch.StartNew();
        await RestartBotAsync(kill: true);

        var expected = acknowledged.ToHashSet();
        bool AllDelivered()
        {
            var texts = Slack.Messages.Select(m => m.Text).ToList();
            return expected.All(i => texts.Count(t => t.Contains($"step {i:D4} done", StringComparison.Ordinal)) >= 2);
        }
        // Worst case on a starved machine: the dead process's 15 s lease, then a timed-out call's 30 s backoff and a 15 s open breaker.
        Assert.That(await Poll.UntilAsync(AllDelivered, TimeSpan.FromSeconds(120)), Is.True, "every acknowledged update reaches Slack");
        var drained = restart.Elapsed;

        var timeline = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "StatusUpdate").Select(e => e.GetProperty("text").GetString()!).ToList();
        foreach (var i in expected)
        {
            Assert.That(timeline, Does.Contain($"step {i:D4} done"), $"acknowledged update {i} is in the store");
        }

        // An update stored but never acknowledged (the kill fell between commit and answer) is owed too: wait for it as well.
        List<int> PerUpdate() => timeline.Select(t => Slack.Messages.Count(m => m.Text.Contains(t, StringComparison.Ordinal))).ToList();
        await Poll.UntilAsync(() => PerUpdate().All(c => c >= 2), TimeSpan.FromSeconds(60));
        var perUpdate = PerUpdate();
        var duplicates = perUpdate.Sum(c => Math.Max(0, c - 2));
        TestContext.Out.WriteLine($"acknowledged {expected.Count}, stored {timeline.Count}, delivered before kill {deliveredBeforeKill}, duplicate messages after restart {duplicates}, all delivered {drained.TotalSeconds:F1} s after the restart began");
        Assert.That(perUpdate, Has.All.GreaterThanOrEqualTo(2), "each stored update posted in the channel and broadcast");
        Assert.That(duplicates, Is.LessThanOrEqualTo(2), "only the message in flight per conversation at the kill may repeat");
    }
}
