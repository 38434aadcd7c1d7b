using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.LiteDb;
using LiteDB;
using IncidentBot.Core.Notes;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>
/// The LiteDB pitfalls measured in the LiteDB issue, each held by a test: transactions across awaits, the page-cache
/// race under concurrent callers, double claims, a duplicate inbound id, instants and ids that come back wrong.
/// </summary>
public sealed class LiteDbSafetyTests : LiteDbFileTests
{
    [Test]
    public async Task UseCases_WithAwaitsResumingOnOtherThreads_EveryStepCommitted()
    {
        var store = await OpenAsync();
        var service = new IncidentService(store, Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9"])]);

        // Real use cases (each awaits the store several times) from many threads at once, then more steps after awaits.
        var declared = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var reply = await service.DeclareAsync(new DeclareRequest($"Outage {i}", Severity.Sev2, IncidentType.Livesite), Context($"Ev-declare-{i}"), CancellationToken.None);
            await Task.Yield();
            for (var step = 0; step < 3; step++)
            {
                var note = await service.ExecuteAsync(new NoteCommand($"note {step}"), Context($"Ev-note-{i}-{step}"), reply.Incident!.Id, CancellationToken.None);
                Assert.That(note.Changed, Is.True, note.Text.PlainText);
                await Task.Yield();
            }

            return reply.Incident!;
        })));

        store.Dispose();
        using var reopened = await OpenAsync();
        foreach (var incident in declared)
        {
            var timeline = await reopened.GetTimelineAsync(incident.Id, CancellationToken.None);
            Assert.That(timeline.Count(e => e.Kind == TimelineKind.Note), Is.EqualTo(3), $"INC-{incident.Number}: every note committed");
            Assert.That((await reopened.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(incident.Version + 3));
        }

        Assert.That(await reopened.CountPendingOutboxAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(declared.Length), "declarations owe messages");
    }

    private static CommandContext Context(string eventId) => new("slack", "T1", "CGENERAL", Ada, eventId);

    [Test]
    public async Task Save_Queued_IsCalledBeforeTheCommit_AndAChangeSavedThenCommitsAfterIt()
    {
        using var store = await OpenAsync();
        var (_, incident) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("declared")] }, null, CancellationToken.None);
        var first = incident!.NextVersion();
        Task<SaveResult>? second = null;

        var saving = store.SaveAsync(new IncidentChange { Incident = first, Entries = [Entry("first")], KeepsReminder = true }, () =>
        {
            // The next change to the incident, decided on the first while it still commits.
            second = store.SaveAsync(new IncidentChange { Incident = first.NextVersion(), Entries = [Entry("second")], KeepsReminder = true }, CancellationToken.None);
        }, CancellationToken.None);

        Assert.That(await saving, Is.EqualTo(SaveResult.Saved));
        Assert.That(await second!, Is.EqualTo(SaveResult.Saved), "committed after the first, which it builds on");
        Assert.That((await store.GetTimelineAsync(incident.Id, CancellationToken.None)).Select(e => e.Text), Is.EqualTo(new[] { "declared", "first", "second" }));
    }

    [Test]
    public async Task Notes_ABurstOnOneIncident_ShareCommits()
    {
        // Each note's turn is handed on once its change is queued, so the next is decided while it commits and they go
        // to the disk together; with the turn held until "saved", every note would wait for the one before and its fsync.
        using var store = await OpenAsync();
        var service = new IncidentService(store, Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", [])]);
        var declared = (await service.DeclareAsync(new DeclareRequest("Outage", Severity.Sev2, IncidentType.Livesite), Context("Ev-declare"), CancellationToken.None)).Incident!;
        var before = store.Fsyncs;

        var notes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            service.ExecuteAsync(new NoteCommand($"note {i}"), Context($"Ev-note-{i}"), declared.Id, CancellationToken.None))));

        Assert.That(notes.All(n => n.Changed), Is.True, "every note saved, none told to try again");
        var fsyncs = store.Fsyncs - before;
        Assert.That(fsyncs, Is.LessThan(30), $"{fsyncs} fsyncs for 60 notes");
        var timeline = await store.GetTimelineAsync(declared.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Kind == TimelineKind.Note), Is.EqualTo(60));
        Assert.That((await store.GetAsync(declared.Id, CancellationToken.None))!.Version, Is.EqualTo(declared.Version + 60));
    }

    [Test]
    public async Task Stress_TwoWritersDispatcherAndReaders_NoExceptionAndConsistentOnReopen()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("INCIDENTBOT_LITEDB_STRESS_SECONDS"), out var s) ? s : 15;
        var store = await OpenAsync();
        var incidents = new List<Incident>();
        for (var i = 0; i < 8; i++)
        {
            incidents.Add(await CreateAsync(store));
        }

        var errors = new ConcurrentQueue<Exception>();
        var saved = new ConcurrentDictionary<long, int>();
        var sent = new ConcurrentDictionary<long, int>();
        var reads = 0L;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));

        async Task Guard(Func<Task> loop)
        {
            try
            {
                await loop();
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        }

        Task Writer(IReadOnlyList<Incident> mine) => Task.Run(() => Guard(async () =>
        {
            var versions = mine.ToDictionary(i => i.Id, i => i.Version);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var incident = mine[n % mine.Count];
                var version = versions[incident.Id] + 1;
                var change = new IncidentChange
                {
                    Incident = incident with { Version = version },
                    Entries = [Entry($"update {version}")],
                    Messages = [Post($"update {version}", $"C{incident.Id}")],
                    NextReminderAt = Clock.GetUtcNow().AddTicks(-1),
                };
                Assert.That(await store.SaveAsync(change, CancellationToken.None), Is.EqualTo(SaveResult.Saved));
                versions[incident.Id] = version;
                saved.AddOrUpdate(incident.Id, 1, (_, c) => c + 1);
            }
        }));

        var dispatcher = Task.Run(() => Guard(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var item in await store.ClaimOutboxAsync(Clock.GetUtcNow(), 20, TimeSpan.FromMinutes(1), CancellationToken.None))
                {
                    await store.MarkSentAsync(item.Id, Clock.GetUtcNow(), CancellationToken.None);
                    sent.AddOrUpdate(item.Id, 1, (_, c) => c + 1);
                }

                await store.ClaimDueRemindersAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None);
            }
        }));

        Task Reader() => Task.Run(() => Guard(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var incident = incidents[(int)(Interlocked.Increment(ref reads) % incidents.Count)];
                await store.GetTimelineAsync(incident.Id, CancellationToken.None);
                await store.GetRecentTimelineAsync(incident.Id, 5, CancellationToken.None);
                await store.ListAsync("slack", "T1", openOnly: true, CancellationToken.None);
                await store.GetByNumberAsync("slack", "T1", incident.Number, CancellationToken.None);
                await store.CountPendingOutboxAsync(CancellationToken.None);
            }
        }));

        await Task.WhenAll(Writer(incidents[..4]), Writer(incidents[4..]), dispatcher, Reader(), Reader());
        Assert.That(errors, Is.Empty, string.Join("\n", errors.Take(3)));

        // Whatever the dispatcher had not sent yet goes now; then the file is reopened and checked.
        while (await store.ClaimOutboxAsync(Clock.GetUtcNow(), 100, TimeSpan.FromMinutes(1), CancellationToken.None) is { Count: > 0 } rest)
        {
            foreach (var item in rest)
            {
                await store.MarkSentAsync(item.Id, Clock.GetUtcNow(), CancellationToken.None);
                sent.AddOrUpdate(item.Id, 1, (_, c) => c + 1);
            }
        }

        var reopens = store.Reopens;
        store.Dispose();
        using var reopened = await OpenAsync();
        foreach (var incident in incidents)
        {
            var count = saved.GetValueOrDefault(incident.Id);
            Assert.That((await reopened.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(1 + count));
            Assert.That(await reopened.GetTimelineAsync(incident.Id, CancellationToken.None), Has.Count.EqualTo(1 + count));
        }

        Assert.That(sent.Values, Is.All.EqualTo(1), "every message sent once");
        Assert.That(sent, Has.Count.EqualTo(saved.Values.Sum()));
        Assert.That(await reopened.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
        Assert.That(reopens, Is.Zero, "the engine never had to be reopened");
        TestContext.Out.WriteLine($"{seconds} s: {saved.Values.Sum()} saves, {sent.Count} messages sent, {Interlocked.Read(ref reads)} read rounds, 0 exceptions");
    }

    [Test]
    public async Task Claims_EightConcurrentClaimers_NoOutboxRowOrReminderClaimedTwice()
    {
        using var store = await OpenAsync();
        const int Incidents = 50;
        const int MessagesEach = 8;
        for (var i = 0; i < Incidents; i++)
        {
            await store.CreateAsync(Draft(), x => new IncidentChange
            {
                Incident = x,
                Messages = Enumerable.Range(0, MessagesEach).Select(m => Post($"m{m}", $"C{x.Number}-{m}")).ToList(),
                NextReminderAt = Clock.GetUtcNow(),
            }, null, CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            var reminders = new List<long>();
            while (await store.ClaimOutboxAsync(Clock.GetUtcNow(), 7, TimeSpan.FromMinutes(5), CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(b => b.Id));
            }

            while (await store.ClaimDueRemindersAsync(Clock.GetUtcNow(), 3, TimeSpan.FromMinutes(5), CancellationToken.None) is { Count: > 0 } due)
            {
                reminders.AddRange(due.Select(d => d.IncidentId));
            }

            return (Outbox: mine, Reminders: reminders);
        })));

        var outbox = claims.SelectMany(c => c.Outbox).ToList();
        var reminders = claims.SelectMany(c => c.Reminders).ToList();
        Assert.That(outbox, Is.Unique, "no outbox row claimed twice");
        Assert.That(outbox, Has.Count.EqualTo(Incidents * MessagesEach));
        Assert.That(reminders, Is.Unique, "no reminder claimed twice");
        Assert.That(reminders, Has.Count.EqualTo(Incidents));
    }

    [Test]
    public async Task DuplicateInbound_InCreateSaveAndEnqueue_NothingOfTheTransactionKept()
    {
        var store = await OpenAsync();
        var incident = await CreateAsync(store);
        Assert.That(await store.TryRecordInboundAsync("Ev-seen", CancellationToken.None), Is.True);

        var created = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("declared")], Messages = [Post("announce", "CA")] }, "Ev-seen", CancellationToken.None);
        var savedBatch = await store.SaveBatchAsync(
        [
            new IncidentChange { Incident = incident with { Version = 2, Title = "renamed" }, Entries = [Entry("dup")], Messages = [Post("dup", "CB")], InboundEventId = "Ev-seen" },
        ], CancellationToken.None);
        var enqueued = await store.EnqueueAsync([Post("welcome", "CC")], "Ev-seen", CancellationToken.None);

        Assert.That((created.Result, savedBatch.Single(), enqueued), Is.EqualTo((SaveResult.Duplicate, SaveResult.Duplicate, SaveResult.Duplicate)));
        store.Dispose();
        using var reopened = await OpenAsync();
        Assert.That(await reopened.ListAsync(null, null, openOnly: false, CancellationToken.None), Has.Count.EqualTo(1), "no second incident");
        var read = await reopened.GetAsync(incident.Id, CancellationToken.None);
        Assert.That((read!.Title, read.Version), Is.EqualTo(("Checkout errors", 1)));
        Assert.That(await reopened.GetTimelineAsync(incident.Id, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await reopened.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
        Assert.That((await CreateAsync(reopened)).Number, Is.EqualTo(2), "the refused declaration used up no number");
    }

    [Test]
    public async Task Ids_AfterTheNewestRowsAreDeletedAndARestart_NeverReused()
    {
        var store = await OpenAsync();
        var first = await CreateAsync(store, Post("one", "C1"));
        var newest = await CreateAsync(store, Post("two", "C2"));
        var newestEntry = (await store.GetTimelineAsync(newest.Id, CancellationToken.None)).Single().Id;
        var newestMessage = (await store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None)).Max(i => i.Id);
        store.Dispose();

        // What LiteDB's own max+1 auto-ids get wrong: the newest rows go (by hand here), and their ids come back.
        using (var raw = new LiteDatabase($"Filename={Filename}"))
        {
            raw.GetCollection("incidents").Delete(newest.Id);
            raw.GetCollection("timeline").DeleteMany(Query.EQ("incident_id", newest.Id));
            raw.GetCollection("outbox").Delete(newestMessage);
        }

        using var reopened = await OpenAsync();
        var next = await CreateAsync(reopened, Post("three", "C3"));
        var nextEntry = (await reopened.GetTimelineAsync(next.Id, CancellationToken.None)).Single().Id;
        var nextMessage = (await reopened.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None)).Max(i => i.Id);

        Assert.That(next.Id, Is.GreaterThan(newest.Id).And.GreaterThan(first.Id));
        Assert.That(nextEntry, Is.GreaterThan(newestEntry));
        Assert.That(nextMessage, Is.GreaterThan(newestMessage));
    }

    [Test]
    public async Task Ids_ReservedAheadInATransactionThatFailed_AreNotHandedOutAgainAfterARestart()
    {
        // Ids are reserved in the file a block ahead. A transaction that reserves the next block and then fails takes
        // the reservation with it: an id handed out after it must still be reserved in the file, or a restart reuses it.
        var store = await OpenAsync();
        var incident = await CreateAsync(store, Post("one", "C1"));
        for (var i = 0; i < 100; i++)
        {
            // A failed change between each good one: some of them are the first to need a new block.
            {
                var failing = new IncidentChange { Incident = (await store.GetAsync(incident.Id, CancellationToken.None))!.NextVersion(), Entries = [Entry("fine"), Entry("bad") with { Text = null! }], KeepsReminder = true };
                Assert.That(async () => await store.SaveAsync(failing, CancellationToken.None), Throws.Exception);
            }

            Assert.That(await store.AppendEntryAsync(Entry($"note {i}") with { IncidentId = incident.Id }, CancellationToken.None), Is.True);
        }

        store.Dispose();
        using var reopened = await OpenAsync();
        Assert.That(await reopened.AppendEntryAsync(Entry("after the restart") with { IncidentId = incident.Id }, CancellationToken.None), Is.True);

        var timeline = await reopened.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Select(e => e.Id), Is.Unique);
        Assert.That(timeline.Count(e => e.Text.StartsWith("note ", StringComparison.Ordinal)), Is.EqualTo(100));
        Assert.That(timeline.Any(e => e.Text == "fine"), Is.False, "nothing of the failed changes");
        Assert.That(timeline.Single(e => e.Text == "after the restart").Id, Is.GreaterThan(timeline.Where(e => e.Text != "after the restart").Max(e => e.Id)));
    }

    [Test]
    public async Task Instants_WithOffsetsAndSubMillisecondTicks_StoredAsUtcTicksAndReadBackExactly()
    {
        var store = await OpenAsync();
        var declared = new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(5.75)).AddTicks(1234);
        var (_, incident) = await store.CreateAsync(Draft() with { DeclaredAt = declared, LastStatusUpdateAt = declared.AddTicks(1) },
            i => new IncidentChange { Incident = i, Entries = [Entry("x") with { At = declared.AddTicks(7) }] }, null, CancellationToken.None);
        store.Dispose();

        using (var raw = new LiteDatabase($"Filename={Filename}"))
        {
            var doc = raw.GetCollection("incidents").FindById(incident!.Id);
            Assert.That(doc["declared_at"].Type, Is.EqualTo(BsonType.Int64), "ticks, not BsonDateTime (milliseconds, local kind)");
            Assert.That(doc["declared_at"].AsInt64, Is.EqualTo(declared.UtcTicks));
        }

        using var reopened = await OpenAsync();
        var read = await reopened.GetAsync(incident.Id, CancellationToken.None);
        var entry = (await reopened.GetTimelineAsync(incident.Id, CancellationToken.None)).Single();
        Assert.That((read!.DeclaredAt.UtcTicks, read.LastStatusUpdateAt.UtcTicks, entry.At.UtcTicks), Is.EqualTo((declared.UtcTicks, declared.UtcTicks + 1, declared.UtcTicks + 7)));
        Assert.That(read.DeclaredAt.Offset, Is.EqualTo(TimeSpan.Zero), "read back as UTC whatever the machine's zone");
    }

    [Test]
    public async Task Engine_FileLiteDbCannotOpen_CallersHearTheFailureAndTheEngineKeepsServing()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllBytesAsync(Filename, Enumerable.Repeat((byte)0xAB, 8192).ToArray());
        using var store = new LiteDbIncidentStore($"Filename={Filename}", Clock);

        var failure = Assert.CatchAsync<Exception>(() => store.GetAsync(1, CancellationToken.None));
        Assert.That(failure, Is.Not.InstanceOf<OperationCanceledException>(), "a failure, not a cancellation");
        Assert.That(await store.PingAsync(CancellationToken.None), Is.False, "not ready, and still answering");
    }

    [Test]
    public async Task IdsFromOutside_LongerThanLiteDbsIndexKeyLimit_StoredAndFound()
    {
        // LiteDB refuses index keys of 1,023 bytes or more; a mangled Teams activity once carried such an id.
        var longId = new string('é', 1500);
        using var store = await OpenAsync();
        var (_, incident) = await store.CreateAsync(Draft() with { WorkspaceId = "W" + longId }, i => new IncidentChange { Incident = i }, "Ev" + longId, CancellationToken.None);
        await store.SetConversationAsync(incident!.Id, "19:" + longId, null, CancellationToken.None);
        await store.SetAnchorAsync(incident.Id, "header" + longId, "ts", CancellationToken.None);
        Assert.That(await store.AppendEntryAsync(Entry("pinned") with { IncidentId = incident.Id, SourceRef = "C1:" + longId }, CancellationToken.None), Is.True);

        Assert.That(await store.WasInboundProcessedAsync("Ev" + longId, CancellationToken.None), Is.True);
        Assert.That(await store.TryRecordInboundAsync("Ev" + longId, CancellationToken.None), Is.False);
        Assert.That((await store.FindByConversationAsync("slack", "19:" + longId, CancellationToken.None))?.Id, Is.EqualTo(incident.Id));
        Assert.That((await store.GetByNumberAsync("slack", "W" + longId, 1, CancellationToken.None))?.Id, Is.EqualTo(incident.Id));
        Assert.That(await store.GetAnchorAsync(incident.Id, "header" + longId, CancellationToken.None), Is.EqualTo("ts"));
        Assert.That(await store.AppendEntryAsync(Entry("again") with { IncidentId = incident.Id, SourceRef = "C1:" + longId }, CancellationToken.None), Is.False);
        Assert.That((await store.FindBySourceRefAsync("C1:" + longId, CancellationToken.None))?.Id, Is.EqualTo(incident.Id));
        Assert.That(store.Reopens, Is.Zero);
    }

    private async Task<Incident> CreateAsync(LiteDbIncidentStore store, params OutgoingMessage[] messages)
    {
        var (result, incident) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("declared")], Messages = messages }, null, CancellationToken.None);
        Assert.That(result, Is.EqualTo(SaveResult.Saved));
        return incident!;
    }

    private static OutgoingMessage Post(string text, string conversation) => new()
    {
        Platform = "slack",
        Operation = ChatOperation.Post,
        ConversationId = conversation,
        Message = new ChatMessage { Text = text },
    };
}
