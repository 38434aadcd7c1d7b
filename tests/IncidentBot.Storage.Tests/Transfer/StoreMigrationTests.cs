using System.Collections.Immutable;
using System.Text.Json;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.LiteDb;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Storage.Transfer;
using IncidentBot.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using IncidentBot.Testing;

namespace IncidentBot.Storage.Tests.Transfer;

/// <summary>migrate-store and backup: every row with its id from one store to another, and copies that open with the same content.</summary>
[NonParallelizable]
public sealed partial class StoreMigrationTests
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly List<IIncidentStore> _stores = [];
    private string _folder = "";
    private string? _postgres;

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await StoreProviders.DisposeAsync(store);
        }

        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_postgres);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Migrate_SqliteToLiteDbToPostgres_EveryRowWithItsIdTheSame()
    {
        var sqlite = await OpenAsync(StoreProviders.Sqlite, $"Data Source={Path.Combine(_folder, "bot.db")}");
        await FillAsync(sqlite);
        var archives = await FillArchivesAsync(sqlite);
        var sandbox = await SandboxViewAsync(sqlite);
        var original = await ((IStoreTransfer)sqlite).ExportAsync(CancellationToken.None);
        Assert.That(original.SandboxSequence, Is.EqualTo(5), "four posts and an update");
        var lite = Create(StoreProviders.LiteDb, $"Filename={Path.Combine(_folder, "bot.litedb")}");
        var (last, lastProvider) = PostgresTestServer.AdminConnectionString is null
            ? (Create(StoreProviders.Sqlite, $"Data Source={Path.Combine(_folder, "again.db")}"), "Sqlite (no PostgreSQL server configured)")
            : (Create(StoreProviders.Postgres, _postgres = await PostgresTestServer.CreateDatabaseAsync()), "Postgres");

        using var firstOutput = new StringWriter();
        using var secondOutput = new StringWriter();
        Assert.That(await StoreMigration.CopyAsync(sqlite, lite, firstOutput, CancellationToken.None), Is.EqualTo(StoreMigration.Copied), firstOutput.ToString());
        Assert.That(await StoreMigration.CopyAsync(lite, last, secondOutput, CancellationToken.None), Is.EqualTo(StoreMigration.Copied), secondOutput.ToString());

        TestContext.Out.WriteLine($"SQLite -> LiteDB:\n{firstOutput}\nLiteDB -> {lastProvider}:\n{secondOutput}");
        Assert.That(firstOutput.ToString(), Does.Contain("incidents").And.Contain("outbox").And.Match(@"direct_conversations\s+2\s+2"));
        Assert.That(secondOutput.ToString(), Does.Match(@"channel_archives\s+3\s+3").And.Match(@"sandbox_conversations\s+2\s+2").And.Match(@"sandbox_messages\s+4\s+4"));
        Assert.That(Canonical(await ((IStoreTransfer)lite).ExportAsync(CancellationToken.None)), Is.EqualTo(Canonical(original)), "LiteDB holds what SQLite held");
        Assert.That(Canonical(await ((IStoreTransfer)last).ExportAsync(CancellationToken.None)), Is.EqualTo(Canonical(original)), $"{lastProvider} holds what SQLite held");

        // The copies show the same, archive on the same schedule, and go on numbering and giving ids after the copied ones.
        foreach (var (store, name) in new[] { (lite, "LiteDB"), (last, lastProvider) })
        {
            Assert.That(await SandboxViewAsync(store), Is.EqualTo(sandbox), $"{name}: the sandbox shows the same conversations and messages in the same order");
            await AssertSandboxGoesOnAsync(store, original.SandboxMessages.Select(m => m.MessageRef).ToList(), original.SandboxSequence, _clock.GetUtcNow(), name);
            await AssertArchivesAsync(store, archives, name);
            Assert.That(await store.ClaimDueFollowUpNudgesAsync(new DateTimeOffset(2026, 12, 25, 0, 0, 0, TimeSpan.Zero), 10, TimeSpan.FromMinutes(5), CancellationToken.None),
                Has.Count.EqualTo(1).And.All.Property(nameof(DueFollowUpNudge.Number)).EqualTo(2), $"{name}: the nudge schedule rebuilt from the open follow-up");

            var (_, next) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("after")], Messages = [Post("after", "CZ")] }, null, CancellationToken.None);
            Assert.That(next!.Number, Is.EqualTo(original.Incidents.Count(i => i.WorkspaceId == "T1") + 1));
            Assert.That(next.Id, Is.GreaterThan(original.Incidents.Max(i => i.Id)));
            Assert.That((await store.GetTimelineAsync(next.Id, CancellationToken.None)).Single().Id, Is.GreaterThan(original.Timeline.Max(e => e.Id)));
            Assert.That(await store.WasInboundProcessedAsync("Ev-1", CancellationToken.None), Is.True, "recent inbound ids came along");
            Assert.That((await store.GetDirectConversationAsync("teams", "tenant-1", "29:1ada", CancellationToken.None))?.ConversationId, Is.EqualTo("a:1ada"), "1:1 conversations came along");
            Assert.That(await store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None), Is.EqualTo(3), "follow-up numbers go on after the copied ones");
            Assert.That((await store.GetByNumberAsync("slack", "T1", 1, CancellationToken.None))!.FollowUps.Single(f => f.Number == 1).DropReason, Is.EqualTo("retired"));
        }
    }

    [Test]
    public async Task Migrate_IntoAStoreHoldingData_RefusedAndTargetUnchanged()
    {
        var source = await OpenAsync(StoreProviders.Sqlite, $"Data Source={Path.Combine(_folder, "bot.db")}");
        await FillAsync(source);
        var target = await OpenAsync(StoreProviders.LiteDb, $"Filename={Path.Combine(_folder, "bot.litedb")}");
        await target.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        using var output = new StringWriter();

        Assert.That(await StoreMigration.CopyAsync(source, target, output, CancellationToken.None), Is.EqualTo(StoreMigration.TargetNotEmpty));

        Assert.That(output.ToString(), Does.Contain("holds 2 rows already"));
        Assert.That(await target.ListAsync(null, null, openOnly: false, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [TestCase("LiteDb", "bot.litedb", "Filename=")]
    [TestCase("Sqlite", "bot.db", "Data Source=")]
    public async Task Backup_WhileTheStoreIsInUse_CopyOpensWithItsContentAtThatMoment(string provider, string file, string key)
    {
        var store = await OpenAsync(provider, key + Path.Combine(_folder, file));
        await FillAsync(store);
        var atBackup = Canonical(await ((IStoreTransfer)store).ExportAsync(CancellationToken.None));
        var copy = Path.Combine(_folder, "backups", "copy-" + file);

        await ((IStoreTransfer)store).BackupAsync(copy, CancellationToken.None);
        await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);

        var restored = await OpenAsync(provider, key + copy);
        Assert.That(Canonical(await ((IStoreTransfer)restored).ExportAsync(CancellationToken.None)), Is.EqualTo(atBackup));
        var (_, next) = await restored.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        Assert.That(next!.Number, Is.EqualTo(2), "a working store, without the declaration made after the copy");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The snapshot as text, outbox leases left out: opening an embedded store (as migrate-store and a restore do) hands
    /// back the leases of the run that held it, which is dead by then.
    /// </summary>
    private static string Canonical(StoreSnapshot snapshot) =>
        JsonSerializer.Serialize(snapshot with { Outbox = snapshot.Outbox.Select(o => o with { LeaseUntil = null }).ToList() }, Indented);

    /// <summary>
    /// Something of every kind: roles, redactions, source refs, pending, sent, failed and leased messages, reminders, anchors, inbound ids,
    /// follow-ups (one open with a nudge due), 1:1 conversations, sandbox conversations and messages.
    /// </summary>
    private async Task FillAsync(IIncidentStore store)
    {
        var (_, first) = await store.CreateAsync(Draft() with { Roles = ImmutableSortedDictionary<string, Person>.Empty.Add("scribe", new Person("U3", "Linus")) },
            i => new IncidentChange { Incident = i, Entries = [Entry("declared"), Entry("x")], Messages = [Post("a", "C1"), Post("b", "C1"), Post("c", "C2")], NextReminderAt = _clock.GetUtcNow().AddMinutes(15) },
            "Ev-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(3));
        var (_, second) = await store.CreateAsync(Draft("T2") with { IsDrill = true }, i => new IncidentChange { Incident = i, Entries = [Entry("declared")], Messages = [Post("d", "C3"), Post("e", "C4")] }, "Ev-2", CancellationToken.None);
        await store.SetConversationAsync(first!.Id, "C1", "https://smba.example/", CancellationToken.None);
        await store.SetAnchorAsync(first.Id, "header", "1700000000.000100", CancellationToken.None);
        var redact = (await store.GetTimelineAsync(first.Id, CancellationToken.None)).Single(e => e.Text == "x").Id;
        var followUp = new FollowUp
        {
            Number = await store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None),
            Text = "alert on queue depth",
            Owner = new Person("U3", "Linus"),
            Due = new DateOnly(2026, 12, 24),
            State = FollowUpState.Dropped,
            DropReason = "retired",
            CreatedBy = new Person("U1", "Ada"),
            CreatedAt = _clock.GetUtcNow(),
        };
        var open = followUp with
        {
            Number = await store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None), Text = "page on queue depth", State = FollowUpState.Open, DropReason = null,
        };
        await store.SaveAsync(new IncidentChange
        {
            Incident = first with { Version = 2, State = IncidentState.Acknowledged, AcknowledgedAt = _clock.GetUtcNow(), FollowUps = [followUp, open], ReviewedBy = new Person("U1", "Ada"), ReviewedAt = _clock.GetUtcNow() },
            RedactEntryIds = [redact],
            KeepsReminder = true,
        }, CancellationToken.None);
        await store.AppendEntryAsync(Entry("pinned") with { IncidentId = second!.Id, Kind = TimelineKind.MessagePinned, SourceRef = "C3:1700000000.000200" }, CancellationToken.None);
        await store.EnqueueAsync([Post("welcome", "D1")], "Ev-3", CancellationToken.None);
        await store.RecordDirectConversationAsync(new DirectConversation("teams", "tenant-1", "29:2grace", "a:2grace", "https://smba.example/emea/", _clock.GetUtcNow()), CancellationToken.None);
        await store.RecordDirectConversationAsync(new DirectConversation("teams", "tenant-1", "29:1ada", "a:1ada", null, _clock.GetUtcNow().AddTicks(7)), CancellationToken.None);
        var claimed = await store.ClaimOutboxAsync(_clock.GetUtcNow(), 3, TimeSpan.FromMinutes(5), CancellationToken.None);
        await store.MarkSentAsync(claimed[0].Id, _clock.GetUtcNow(), CancellationToken.None);
        await store.MarkFailedAsync(claimed[1].Id, "channel_not_found", null, CancellationToken.None);
        await FillSandboxAsync(store);
    }

    private IIncidentStore Create(string provider, string connectionString)
    {
        var store = StoreProviders.Create(provider, connectionString, _clock);
        _stores.Add(store);
        return store;
    }

    private async Task<IIncidentStore> OpenAsync(string provider, string connectionString)
    {
        var store = Create(provider, connectionString);
        await StoreProviders.MigrateAsync(store, CancellationToken.None);
        return store;
    }

    private Incident Draft(string workspace = "T1") => new()
    {
        Platform = "slack",
        WorkspaceId = workspace,
        Title = "Paiement échoué",
        Commander = new Person("U1", "Ada"),
        DeclaredBy = new Person("U2", "Grace"),
        DeclaredAt = _clock.GetUtcNow().AddTicks(3),
        LastStatusUpdateAt = _clock.GetUtcNow(),
        OriginConversationId = "CGENERAL",
        Version = 1,
    };

    private TimelineEntry Entry(string text) => new() { At = _clock.GetUtcNow(), Kind = TimelineKind.Note, Actor = new Person("U1", "Ada"), Text = text };

    private static OutgoingMessage Post(string text, string conversation) => new()
    {
        Platform = "slack",
        Operation = ChatOperation.Post,
        ConversationId = conversation,
        Message = new ChatMessage { Text = text },
    };
}
