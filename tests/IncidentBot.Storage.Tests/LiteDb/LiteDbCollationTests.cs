using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.LiteDb;
using LiteDB;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>
/// Files made before the store set the ordinal collation carry LiteDB's default (the machine's culture, ignoring case),
/// under which every key and query ignored case. Opening one copies it into a file with the ordinal collation.
/// </summary>
[NonParallelizable]
public sealed class LiteDbCollationTests : LiteDbFileTests
{
    [TearDown]
    public void ClearHook() => DirectorySync.BeforeFlush = null;

    private static OutgoingMessage Post(string text) => new() { Platform = "slack", Operation = ChatOperation.Post, ConversationId = "C1", Message = new ChatMessage { Text = text } };

    /// <summary>A file as the store made it before: every kind of row, on LiteDB's default collation.</summary>
    private async Task<(long IncidentId, long LastEntryId)> MakeOldFileAsync()
    {
        using var old = new LiteDbIncidentStore($"Filename={Filename}", Clock, Collation.Default);
        await old.MigrateAsync(CancellationToken.None);
        var (_, incident) = await old.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("declared")], Messages = [Post("declared")] }, "evt-AbC", CancellationToken.None);
        await old.SetConversationAsync(incident!.Id, "a:1xYz", null, CancellationToken.None);
        await old.SetAnchorAsync(incident.Id, "header", "m1", CancellationToken.None);
        Assert.That(await old.TryRecordInboundAsync("EVT-ABC", CancellationToken.None), Is.False, "the old file ignores case");
        var timeline = await old.GetTimelineAsync(incident.Id, CancellationToken.None);
        return (incident.Id, timeline.Max(e => e.Id));
    }

    private static string CollationOf(string file) => WithRawFile(file, db => db.Collation.ToString());

    [Test]
    public async Task OldFile_OnOpen_IsCopiedWithTheOrdinalCollation_KeepingEveryRowAndId()
    {
        var (incidentId, lastEntryId) = await MakeOldFileAsync();
        Assert.That(CollationOf(Filename), Does.EndWith("/IgnoreCase"));

        using var store = await OpenAsync();

        Assert.That(CollationOf(Path.Combine(Folder, "bot.litedb.case-insensitive.bak")), Does.EndWith("/IgnoreCase"), "the old file is kept");
        Assert.That(File.Exists(Filename + ".rebuild"), Is.False);
        Assert.That((await store.GetAsync(incidentId, CancellationToken.None))?.Title, Is.EqualTo(Draft().Title));
        Assert.That((await store.FindByConversationAsync("slack", "a:1xYz", CancellationToken.None))?.Id, Is.EqualTo(incidentId));
        Assert.That(await store.FindByConversationAsync("slack", "a:1XYZ", CancellationToken.None), Is.Null, "case counts now");
        Assert.That(await store.GetAnchorAsync(incidentId, "header", CancellationToken.None), Is.EqualTo("m1"));
        Assert.That(await store.WasInboundProcessedAsync("evt-AbC", CancellationToken.None), Is.True, "the inbound id was copied");
        Assert.That(await store.TryRecordInboundAsync("EVT-ABC", CancellationToken.None), Is.True, "another event now");
        var claimed = await store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(claimed.Select(c => c.Message.Message!.Text.PlainText), Is.EqualTo(new[] { "declared" }), "the pending message was copied");

        // The sequences were copied as they stood: no id is handed out twice.
        Assert.That(await store.AppendEntryAsync(Entry("after") with { IncidentId = incidentId }, CancellationToken.None), Is.True);
        var after = (await store.GetTimelineAsync(incidentId, CancellationToken.None)).Single(e => e.Text == "after");
        Assert.That(after.Id, Is.GreaterThan(lastEntryId));
        var (_, next) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        Assert.That(next!.Id, Is.GreaterThan(incidentId), "ids go on past those copied");
        Assert.That(next.Number, Is.EqualTo(2));
    }

    [Test]
    public async Task OldFileWithWorkspacesDifferingOnlyInCase_OnOpen_EachGetsItsOwnCounterPastEveryNumberHandedOut()
    {
        // The old file kept one counter for T01 and t01: they drew incident and follow-up numbers from it in turn.
        using (var old = new LiteDbIncidentStore($"Filename={Filename}", Clock, Collation.Default))
        {
            await old.MigrateAsync(CancellationToken.None);
            Assert.That((await old.CreateAsync(Contract.IncidentStoreContract.NewDraft(Clock.GetUtcNow(), "T01"), i => new IncidentChange { Incident = i }, null, CancellationToken.None)).Incident!.Number, Is.EqualTo(1));
            Assert.That((await old.CreateAsync(Contract.IncidentStoreContract.NewDraft(Clock.GetUtcNow(), "t01"), i => new IncidentChange { Incident = i }, null, CancellationToken.None)).Incident!.Number, Is.EqualTo(2));
            Assert.That(await old.NextFollowUpNumberAsync("slack", "t01", CancellationToken.None), Is.EqualTo(1));
            Assert.That(await old.NextFollowUpNumberAsync("slack", "T01", CancellationToken.None), Is.EqualTo(2));
        }

        using var store = await OpenAsync();

        // Each goes on past the numbers both took (gaps, never a number twice); before, t01 started again at 1 and its
        // second declare failed on the unique number ever after, and its follow-ups found no counter at all.
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await store.CreateAsync(Contract.IncidentStoreContract.NewDraft(Clock.GetUtcNow(), "t01"), x => new IncidentChange { Incident = x }, null, CancellationToken.None)).Incident!.Number, Is.EqualTo(3 + i));
        }

        Assert.That((await store.CreateAsync(Contract.IncidentStoreContract.NewDraft(Clock.GetUtcNow(), "T01"), x => new IncidentChange { Incident = x }, null, CancellationToken.None)).Incident!.Number, Is.EqualTo(3));
        Assert.That(await store.NextFollowUpNumberAsync("slack", "t01", CancellationToken.None), Is.EqualTo(3));
        Assert.That(await store.NextFollowUpNumberAsync("slack", "T01", CancellationToken.None), Is.EqualTo(3));
        Assert.That(await store.GetByNumberAsync("slack", "t01", 2, CancellationToken.None), Is.Not.Null, "the incidents are where they were");
    }

    [Test]
    public async Task OldFileInTheLayoutBeforeSources_OnOpen_IsCopiedAndItsSourcesMoved()
    {
        // A file older than both changes: the copy keeps its indexes, so the move of the sources still finds its own.
        long incidentId;
        using (var old = new LiteDbIncidentStore($"Filename={Filename}", Clock, Collation.Default))
        {
            await old.MigrateAsync(CancellationToken.None);
            var (_, incident) = await old.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened") with { SourceRef = "alertgroup:db" }] }, null, CancellationToken.None);
            incidentId = incident!.Id;
        }

        ToLayoutBeforeSources(Filename);

        using var store = await OpenAsync();
        Assert.That((await store.FindBySourceRefAsync("alertgroup:db", CancellationToken.None))?.Id, Is.EqualTo(incidentId));
        Assert.That(await store.AppendEntryAsync(Entry("again") with { IncidentId = incidentId, SourceRef = "alertgroup:db" }, CancellationToken.None), Is.False, "a repeat");
        Assert.That(await store.TryRecordInboundAsync("evt-x", CancellationToken.None), Is.True);
        Assert.That(await store.TryRecordInboundAsync("EVT-X", CancellationToken.None), Is.True, "ordinal now");
    }

    [Test]
    public async Task OldFile_FolderFsyncFailsAfterTheMoves_IsTriedAgainBeforeTheCopyServesAnything()
    {
        var (incidentId, _) = await MakeOldFileAsync();
        var flushes = 0;
        DirectorySync.BeforeFlush = folder =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                throw new IOException("simulated folder fsync failure");
            }
        };

        using var store = new LiteDbIncidentStore($"Filename={Filename}", Clock);
        var failure = await Assert.CatchAsync<IOException>(() => store.MigrateAsync(CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain("simulated folder fsync failure"), "the open that could not make the moves durable fails");

        // The copy is in place; the next open makes its moves durable before it serves anything.
        Assert.That((await store.GetAsync(incidentId, CancellationToken.None))?.Title, Is.EqualTo(Draft().Title));
        Assert.That(flushes, Is.EqualTo(2));
        Assert.That(CollationOf(Path.Combine(Folder, "bot.litedb.case-insensitive.bak")), Does.EndWith("/IgnoreCase"));
    }

    [Test]
    public async Task CopiedFile_OpenedAgain_IsNotCopiedAgain()
    {
        await MakeOldFileAsync();
        (await OpenAsync()).Dispose();
        File.Delete(Filename + ".case-insensitive.bak");

        using var store = await OpenAsync();

        Assert.That(File.Exists(Filename + ".case-insensitive.bak"), Is.False, "nothing to copy: the file already compares ordinally");
        Assert.That(await store.WasInboundProcessedAsync("evt-AbC", CancellationToken.None), Is.True);
    }

    [Test]
    public async Task StoppedBetweenTheMoves_NextOpenMovesTheCopyIn()
    {
        var (incidentId, _) = await MakeOldFileAsync();
        (await OpenAsync()).Dispose();

        // As if the process stopped after the old file was moved aside and before the copy took its place.
        File.Move(Filename, Filename + ".rebuild");

        using var store = await OpenAsync();

        Assert.That((await store.GetAsync(incidentId, CancellationToken.None))?.Id, Is.EqualTo(incidentId));
        Assert.That(await store.TryRecordInboundAsync("EVT-ABC", CancellationToken.None), Is.True, "the copy, with the ordinal collation");
        Assert.That(File.Exists(Filename + ".rebuild"), Is.False);
    }

    [Test]
    public async Task StoppedWhileCopying_NextOpenCopiesAgainFromTheOldFile()
    {
        var (incidentId, _) = await MakeOldFileAsync();
        await File.WriteAllBytesAsync(Filename + ".rebuild", new byte[8192]);

        using var store = await OpenAsync();

        Assert.That((await store.GetAsync(incidentId, CancellationToken.None))?.Id, Is.EqualTo(incidentId));
        Assert.That(await store.TryRecordInboundAsync("EVT-ABC", CancellationToken.None), Is.True);
        Assert.That(File.Exists(Filename + ".rebuild"), Is.False);
    }
}
