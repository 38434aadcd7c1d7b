using IncidentBot.Storage.LiteDb;
using LiteDB;
using LiteDB.Engine;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>
/// The journal LiteDB's log is kept in: written over round after round, yet LiteDB only ever sees the pages of the
/// current round, and a record torn by a power cut ends the log instead of passing for a page.
/// </summary>
public sealed class JournalFileStreamTests : LiteDbFileTests
{
    private const int Page = JournalFileStream.PageSize;

    private string Journal => Path.Combine(Folder, "bot-journal.litedb");

    private string LiteDbLog => Path.Combine(Folder, "bot-log.litedb");

    [SetUp]
    public void MakeFolder() => Directory.CreateDirectory(Folder);

    private static byte[] Pages(int count, byte seed)
    {
        var bytes = new byte[count * Page];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(seed + (i / Page) + (i % 251));
        }

        return bytes;
    }

    private static byte[] ReadAll(JournalFileStream journal)
    {
        var bytes = new byte[journal.Length];
        journal.Position = 0;
        Assert.That(journal.Read(bytes, 0, bytes.Length), Is.EqualTo(bytes.Length));
        return bytes;
    }

    [Test]
    public void PagesWritten_AreReadBackAfterReopening()
    {
        var pages = Pages(3, seed: 7);
        Append(pages);

        using var reopened = new JournalFileStream(Journal);
        Assert.That(reopened.Length, Is.EqualTo(3 * Page));
        Assert.That(ReadAll(reopened), Is.EqualTo(pages));
    }

    [Test]
    public void PagesWritten_AreGatheredAndReadFromMemory_ThenReachTheFileInOneWrite()
    {
        var pages = Pages(3, seed: 21);
        using (var journal = new JournalFileStream(Journal))
        {
            journal.Write(pages, 0, Page);
            journal.Write(pages, Page, 2 * Page);
            Assert.That(journal.HasPending, Is.True);
            Assert.That(journal.PhysicalLength, Is.Zero, "nothing reaches the file before WritePending");
            Assert.That(journal.Length, Is.EqualTo(3 * Page));
            Assert.That(ReadAll(journal), Is.EqualTo(pages), "gathered pages are read from memory");

            var writes = 0;
            SyncedFileStream.BeforeAnyWrite = path =>
            {
                if (path == Journal)
                {
                    Interlocked.Increment(ref writes);
                }
            };
            try
            {
                journal.WritePending();
                journal.WritePending();
            }
            finally
            {
                SyncedFileStream.BeforeAnyWrite = null;
            }

            Assert.That(writes, Is.EqualTo(1), "three pages, one write call; nothing left for a second");
            Assert.That(journal.HasPending, Is.False);
            Assert.That(journal.PhysicalLength, Is.GreaterThanOrEqualTo(3L * Page));
            Assert.That(ReadAll(journal), Is.EqualTo(pages), "and from the file once written");
            journal.Flush();
        }

        using var reopened = new JournalFileStream(Journal);
        Assert.That(ReadAll(reopened), Is.EqualTo(pages));
    }

    [Test]
    public void ALargeTransactionsPages_AreWrittenOnceTheyFillTheGatherLimit()
    {
        var limit = JournalFileStream.MaxGatheredBytes / JournalFileStream.RecordSize;
        var pages = Pages(limit + 3, seed: 40);
        using var journal = new JournalFileStream(Journal);
        journal.Write(pages, 0, pages.Length);

        Assert.That(journal.PhysicalLength, Is.EqualTo((long)JournalFileStream.MaxGatheredBytes), "the first full gather went to the file");
        Assert.That(journal.HasPending, Is.True, "the rest waits for the commit");
        Assert.That(ReadAll(journal), Is.EqualTo(pages), "read across the file and memory alike");
    }

    [Test]
    public void PagesGatheredButNeverWritten_AreNotInTheFile()
    {
        Append(Pages(1, seed: 5));
        using (var journal = new JournalFileStream(Journal))
        {
            journal.Position = journal.Length;
            journal.Write(Pages(2, seed: 60), 0, 2 * Page);
        }

        // As after a crash before the commit's pages were written: the round ends where the file does.
        using var reopened = new JournalFileStream(Journal);
        Assert.That(ReadAll(reopened), Is.EqualTo(Pages(1, seed: 5)));
    }

    [Test]
    public void Emptied_TheNextRoundWritesOverTheFile_AndOnlyItsPagesComeBack()
    {
        var first = Pages(5, seed: 1);
        var second = Pages(2, seed: 90);
        long physical;
        using (var journal = new JournalFileStream(Journal))
        {
            journal.Write(first, 0, first.Length);
            journal.SetLength(0);
            Assert.That(journal.Length, Is.Zero);
            journal.Write(second, 0, second.Length);
            journal.Flush();
            physical = journal.PhysicalLength;
        }

        // The earlier round's last three records are still in the file, whole, and are not taken for this round's.
        Assert.That(physical, Is.GreaterThanOrEqualTo(5L * Page), "the file is written over, not cut");
        using var reopened = new JournalFileStream(Journal);
        Assert.That(reopened.Length, Is.EqualTo(2 * Page));
        Assert.That(ReadAll(reopened), Is.EqualTo(second));

        // The round goes on after a stop without a checkpoint: what lay past it is cut off first.
        Assert.That(new FileInfo(Journal).Length, Is.LessThan(physical));
    }

    [Test]
    public void Emptied_AndClosedBeforeTheNextRound_OpensEmpty()
    {
        var pages = Pages(4, seed: 3);
        using (var journal = new JournalFileStream(Journal))
        {
            journal.Write(pages, 0, pages.Length);
            journal.SetLength(0);
            journal.Flush();
        }

        using var reopened = new JournalFileStream(Journal);
        Assert.That(reopened.Length, Is.Zero);
    }

    [Test]
    public void ATornRecord_EndsTheLogThere()
    {
        var pages = Pages(3, seed: 11);
        Append(pages);

        // A power cut kept one half of the second record's page from an older write: one byte differs.
        FlipByte(record: 1, of: 3, at: -10);

        using var reopened = new JournalFileStream(Journal);
        Assert.That(reopened.Length, Is.EqualTo(Page));
        Assert.That(ReadAll(reopened), Is.EqualTo(pages[..Page]));
    }

    [Test]
    public void RecordsPastATornOne_NeverFollowOnWhenTheRoundGoesOn()
    {
        var pages = Pages(10, seed: 21);
        Append(pages);

        // A power cut: records 6-9 of a commit reached the disk, record 5 did not come whole.
        FlipByte(record: 5, of: 10, at: 100);

        Assert.That(JournalPages(Journal), Is.EqualTo(5));
        var next = Pages(1, seed: 99);
        Append(next);

        using var reopened = new JournalFileStream(Journal);
        Assert.That(reopened.Length, Is.EqualTo(6 * Page), "the never-acknowledged records 6-9 are not taken for the round's");
        Assert.That(ReadAll(reopened), Is.EqualTo(pages[..(5 * Page)].Concat(next).ToArray()));
    }

    [Test]
    public void WritesThatAreNotWholePagesAtTheEnd_AreRefused_AndChangeNothing()
    {
        using var journal = new JournalFileStream(Journal);
        var pages = Pages(2, seed: 5);
        journal.Write(pages, 0, Page);
        Assert.Throws<IOException>(() => journal.Write(pages, 0, 100));
        journal.Position = 0;
        Assert.Throws<IOException>(() => journal.Write(pages, Page, Page));
        Assert.Throws<IOException>(() => journal.SetLength(Page / 2));
        Assert.That(journal.Length, Is.EqualTo(Page));
        Assert.That(ReadAll(journal), Is.EqualTo(pages[..Page]));
    }

    [Test]
    public async Task AFileWithCommitsInLiteDbsOwnLog_OpensWithThem_AndTheLogGoes()
    {
        var id = await IncidentInClosedFileAsync();
        // An older store kept its commits in LiteDB's own log; this one stopped before a checkpoint.
        RetitleWithoutCheckpoint(id);
        Assert.That(new FileInfo(LiteDbLog).Length, Is.GreaterThan(0));

        using (var store = await OpenAsync())
        {
            Assert.That((await store.GetAsync(id, CancellationToken.None))!.Title, Is.EqualTo("Written by an older store"));
        }

        Assert.That(File.Exists(LiteDbLog), Is.False);
        Assert.That(File.Exists(Journal), Is.True);
    }

    [Test]
    public async Task CommitsInBothLogs_AreRefused_NamingTheFiles_AndBothAreKept()
    {
        var id = await IncidentInClosedFileAsync();
        RetitleWithoutCheckpoint(id);
        Append(Pages(1, seed: 1));

        using var refused = new LiteDbIncidentStore($"Filename={Filename}", Clock);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.MigrateAsync(CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain(LiteDbLog).And.Contain(Journal));
        Assert.That(new FileInfo(LiteDbLog).Length, Is.GreaterThan(0));
        Assert.That(JournalPages(Journal), Is.EqualTo(1));
    }

    [Test]
    public async Task AnEmptyLiteDbLogBesideAJournalWithCommits_IsRefused()
    {
        await IncidentInClosedFileAsync();
        File.WriteAllBytes(LiteDbLog, []);
        Append(Pages(1, seed: 1));

        using var refused = new LiteDbIncidentStore($"Filename={Filename}", Clock);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.MigrateAsync(CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain(LiteDbLog).And.Contain(Journal));
        Assert.That(File.Exists(LiteDbLog), Is.True);
        Assert.That(JournalPages(Journal), Is.EqualTo(1));
    }

    [Test]
    public async Task AJournalWithCommitsBesideNoDataFile_IsRefused_AndNoFileIsMade()
    {
        Append(Pages(1, seed: 1));

        using var refused = new LiteDbIncidentStore($"Filename={Filename}", Clock);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.MigrateAsync(CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain(Journal).And.Contain(Filename));
        Assert.That(File.Exists(Filename) ? new FileInfo(Filename).Length : 0, Is.Zero);
        Assert.That(JournalPages(Journal), Is.EqualTo(1));
    }

    /// <summary>Opens the journal, appends <paramref name="pages"/> after what it holds, fsyncs and closes it.</summary>
    private void Append(byte[] pages)
    {
        using var journal = new JournalFileStream(Journal);
        journal.Position = journal.Length;
        journal.Write(pages, 0, pages.Length);
        journal.Flush();
    }

    /// <summary>Flips one bit of the byte <paramref name="at"/> bytes into record <paramref name="record"/> of the <paramref name="of"/> in the file (from its end when negative).</summary>
    private void FlipByte(int record, int of, int at)
    {
        using var file = new FileStream(Journal, FileMode.Open, FileAccess.ReadWrite);
        var recordSize = file.Length / of;
        file.Position = (recordSize * record) + (at >= 0 ? at : recordSize + at);
        var b = file.ReadByte();
        file.Position -= 1;
        file.WriteByte((byte)(b ^ 0x40));
    }

    /// <summary>A store made an incident in the file and closed (cleanly: its journal emptied).</summary>
    private async Task<long> IncidentInClosedFileAsync()
    {
        using var store = await OpenAsync();
        var (_, incident) = await store.CreateAsync(Draft(), i => new IncidentBot.Core.Ports.IncidentChange { Incident = i }, null, CancellationToken.None);
        return incident!.Id;
    }

    /// <summary>Retitles the incident with LiteDB itself, its own log beside the closed file, and closes without a checkpoint.</summary>
    private void RetitleWithoutCheckpoint(long id)
    {
        using var data = new FileStream(Filename, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        using var log = new FileStream(LiteDbLog, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        using var db = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = data, LogStream = log }));
        db.CheckpointSize = 0;
        var incidents = db.GetCollection("incidents");
        var doc = incidents.FindById(id);
        doc["title"] = "Written by an older store";
        incidents.Update(doc);
        log.Flush(flushToDisk: true);
    }

    /// <summary>The journal's pages, read after the store let go of it.</summary>
    private static long JournalPages(string path)
    {
        using var journal = new JournalFileStream(path);
        return journal.Length / Page;
    }
}
