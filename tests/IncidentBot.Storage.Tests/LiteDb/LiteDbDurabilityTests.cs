using System.Diagnostics;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.LiteDb;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>
/// What LiteDB 5.0.21 does not promise by itself, held by the store: each commit on disk before "saved" (fsyncs
/// counted, in process and by strace), a second process refused at once, and SIGKILL at any moment losing nothing
/// acknowledged and tearing nothing.
/// </summary>
[NonParallelizable]
public sealed class LiteDbDurabilityTests : LiteDbFileTests
{
    private const int EntriesPerChange = 3;
    private const int MessagesPerChange = 2;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Save_EveryCommit_FsyncedBeforeTheCallerHearsSaved()
    {
        using var store = await OpenAsync();
        var (_, incident) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);

        var perCommit = new List<long>();
        for (var version = 2; version <= 21; version++)
        {
            var before = store.Fsyncs;
            var result = await store.SaveAsync(new IncidentChange { Incident = incident! with { Version = version }, Entries = [Entry($"note {version}")] }, CancellationToken.None);
            Assert.That(result, Is.EqualTo(SaveResult.Saved));
            perCommit.Add(store.Fsyncs - before);
        }

        var beforeReads = store.Fsyncs;
        await store.GetTimelineAsync(incident!.Id, CancellationToken.None);
        await store.ListAsync(null, null, openOnly: true, CancellationToken.None);

        TestContext.Out.WriteLine($"fsyncs per commit: {string.Join(", ", perCommit)}");
        Assert.That(perCommit, Is.All.GreaterThanOrEqualTo(1L), "each save returned only after at least one fsync");
        Assert.That(store.Fsyncs, Is.EqualTo(beforeReads), "reads write nothing and fsync nothing");
    }

    [Test]
    public async Task Commit_SeenByStrace_AtLeastOneFsyncPerAcknowledgedCommit()
    {
        if (!File.Exists("/usr/bin/strace"))
        {
            Assert.Ignore("strace is not installed (apt-get install strace): the in-process fsync count still runs.");
        }

        Directory.CreateDirectory(Folder);
        var trace = Path.Combine(Folder, "strace.txt");
        await using var child = ChildStore.Start(["write", $"Filename={Filename}"], ["/usr/bin/strace", "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", trace]);
        Assert.That(await child.ReadLineAsync(ChildTimeout), Is.EqualTo("ready"), child.Errors);
        var fsyncsAtReady = CountFsyncs(trace);

        var acknowledged = 0;
        while (acknowledged < 100 && await child.ReadLineAsync(ChildTimeout) is { } line && line.StartsWith("ack ", StringComparison.Ordinal))
        {
            acknowledged++;
        }

        await child.KillAsync();
        var fsyncs = CountFsyncs(trace) - fsyncsAtReady;
        TestContext.Out.WriteLine($"acknowledged commits {acknowledged}, fsync/fdatasync calls seen by strace {fsyncs}");
        Assert.That(acknowledged, Is.EqualTo(100), child.Errors);
        Assert.That(fsyncs, Is.GreaterThanOrEqualTo(acknowledged));
    }

    private static int CountFsyncs(string trace)
    {
        using var stream = new FileStream(trace, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("fsync(", StringComparison.Ordinal) || line.Contains("fdatasync(", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    [Test]
    public async Task SecondProcess_OnTheSameFile_FailsAtOnceNamingTheFile()
    {
        await using (var holder = ChildStore.Start(["hold", $"Filename={Filename}"]))
        {
            Assert.That(await holder.ReadLineAsync(ChildTimeout), Is.EqualTo("ready"), holder.Errors);

            var watch = Stopwatch.StartNew();
            var refused = Assert.Throws<LiteDbFileInUseException>(() => new LiteDbIncidentStore($"Filename={Filename}", Clock).Dispose());
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "fails fast, without waiting on a lock");
            Assert.That(refused!.Message, Does.Contain(Path.GetFullPath(Filename)));

            holder.CloseInput();
            Assert.That(await holder.WaitForExitAsync(ChildTimeout), Is.Zero, holder.Errors);
        }

        // The holder closed the store: the file is free again, and this process holds it now.
        using var store = await OpenAsync();
        await using var second = ChildStore.Start(["hold", $"Filename={Filename}"]);
        Assert.That(await second.WaitForExitAsync(ChildTimeout), Is.Not.Zero);
        Assert.That(second.Errors, Does.Contain("is in use by another process").And.Contain(Path.GetFullPath(Filename)));
    }

    [Test]
    public async Task SigkillLoop_TwentyKills_FileReopensWithEveryAcknowledgedCommitWhole()
    {
        var acknowledged = new HashSet<int>();
        var lostInFlight = 0;
        for (var kill = 0; kill < 20; kill++)
        {
            // Every other run checkpoints every 8 pages: about one checkpoint per commit, so kills land inside them too.
            var connection = kill % 2 == 0 ? $"Filename={Filename};Checkpoint=8" : $"Filename={Filename}";
            await using (var child = ChildStore.Start(["write", connection]))
            {
                Assert.That(await child.ReadLineAsync(ChildTimeout), Is.EqualTo("ready"), child.Errors);
                var killAfter = 5 + (kill * 7 % 40);
                for (var seen = 0; seen < killAfter && await child.ReadLineAsync(ChildTimeout) is { } line;)
                {
                    if (line.StartsWith("ack ", StringComparison.Ordinal))
                    {
                        acknowledged.Add(int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
                        seen++;
                    }
                }

                await child.KillAsync();
                foreach (var line in child.Drain().Where(l => l.StartsWith("ack ", StringComparison.Ordinal)))
                {
                    acknowledged.Add(int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            using var store = await OpenAsync();
            var stored = await store.ListAsync(null, null, openOnly: false, CancellationToken.None);
            var numbers = stored.Select(i => i.Number).Order().ToList();
            Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, numbers.Count)), $"kill {kill}: numbers without a gap");
            Assert.That(acknowledged.Except(numbers), Is.Empty, $"kill {kill}: every acknowledged declaration is in the file");
            foreach (var incident in stored)
            {
                var timeline = await store.GetTimelineAsync(incident.Id, CancellationToken.None);
                Assert.That(timeline.Select(e => e.Text), Is.EqualTo(Enumerable.Range(0, EntriesPerChange).Select(i => $"{incident.Number}/{i}")),
                    $"kill {kill}: INC-{incident.Number} whole");
            }

            Assert.That(await store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(stored.Count * MessagesPerChange), $"kill {kill}: every declaration's messages, no more");
            lostInFlight = numbers.Count - acknowledged.Count;
        }

        TestContext.Out.WriteLine($"20 kills: {acknowledged.Count} acknowledged declarations all present; {lostInFlight} more were committed but not yet acknowledged when killed");
    }
}
