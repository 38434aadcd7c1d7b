using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Storage.Tests.Contract;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Tests.Sqlite;

/// <summary>The store contract on a real SQLite file.</summary>
public sealed class SqliteIncidentStoreTests : IncidentStoreContract
{
    private string _folder = "";
    private SqliteIncidentStore? _store;

    protected override async Task<IIncidentStore> CreateStoreAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        _store = new SqliteIncidentStore($"Data Source={Path.Combine(_folder, "nested", "bot.db")}", Clock);
        await _store.MigrateAsync(CancellationToken.None);
        return _store;
    }

    protected override IIncidentStore CreateSecondStore() => new SqliteIncidentStore($"Data Source={_store!.DataSource}", Clock);

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Test]
    public async Task SaveBatch_MadeWhileAQueuedChangeWaitsToCommit_CommitsAfterIt()
    {
        var incident = (await Store.GetAsync((await CreateAsync()).Id, CancellationToken.None))!;
        var changed = incident.NextVersion() with { Title = "Checkout errors (EU)" };
        Task<IReadOnlyList<SaveResult>>? batch = null;

        // A turn's change, queued; in the turn it hands on, a reminder batch nudges on the changed incident.
        var saving = _store!.SaveAsync(new IncidentChange { Incident = changed }, () =>
            batch = _store.SaveBatchAsync([new IncidentChange { Incident = changed.NextVersion(), Entries = [Entry("reminded") with { IncidentId = incident.Id }] }], CancellationToken.None),
            CancellationToken.None);

        Assert.That(await saving, Is.EqualTo(SaveResult.Saved));
        Assert.That(await batch!, Is.EqualTo(new[] { SaveResult.Saved }), "the batch commits after the change queued before it, not ahead of it");
        var stored = (await Store.GetAsync(incident.Id, CancellationToken.None))!;
        Assert.That((stored.Version, stored.Title), Is.EqualTo((incident.Version + 2, "Checkout errors (EU)")));
    }

    [Test]
    public async Task Migrate_Twice_IsSafeAndKeepsData()
    {
        var incident = await CreateAsync();

        await _store!.MigrateAsync(CancellationToken.None);

        Assert.That((await Store.GetAsync(incident.Id, CancellationToken.None))!.Title, Is.EqualTo("Checkout errors"));
    }

    [Test]
    public async Task Migrate_AfterRestart_ReleasesLeasesOfThePreviousRun()
    {
        await CreateAsync("T1", Post("in flight", "CA"));
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(5), CancellationToken.None), Has.Count.EqualTo(1));

        await _store!.MigrateAsync(CancellationToken.None);

        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(5), CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Migrate_CreatesFolderAndUsesWal()
    {
        Assert.That(File.Exists(_store!.DataSource), Is.True);
        await using var connection = new SqliteConnection($"Data Source={_store.DataSource}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Connections_AreDurable_SynchronousFull()
    {
        // The store relies on this build's default (FULL in WAL mode) instead of a PRAGMA per open.
        await using var connection = new SqliteConnection($"Data Source={_store!.DataSource}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(2L), "2 = FULL");
    }

    [Test]
    public async Task Save_FiftyChainedChangesQueuedAtOnce_CommitInTheOrderSaved()
    {
        // Each change expects the version the one before it writes: only call order commits them all.
        var incident = await CreateAsync();
        var saves = Enumerable.Range(2, 50)
            .Select(version => Store.SaveAsync(new IncidentChange { Incident = incident with { Version = version }, Entries = [Entry($"note {version}")], KeepsReminder = true }, CancellationToken.None))
            .ToList();

        Assert.That(await Task.WhenAll(saves), Is.All.EqualTo(SaveResult.Saved));
        Assert.That((await Store.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(51));
        var notes = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Skip(1).Select(e => e.Text);
        Assert.That(notes, Is.EqualTo(Enumerable.Range(2, 50).Select(v => $"note {v}")));
    }

    [Test]
    public async Task Save_FailingChangeQueuedAmongOthers_FailsAloneTheOthersCommit()
    {
        var incidents = new List<Incident>();
        for (var i = 0; i < 20; i++)
        {
            incidents.Add(await CreateAsync());
        }

        var saves = incidents.Select((incident, i) => Store.SaveAsync(new IncidentChange
        {
            Incident = incident with { Version = 2 },
            Entries = [i == 10 ? Entry("x") with { Text = null! } : Entry($"note {i}")],
            KeepsReminder = true,
        }, CancellationToken.None)).ToList();

        Assert.That(async () => await saves[10], Throws.Exception);
        Assert.That(await Task.WhenAll(saves.Where((_, i) => i != 10)), Is.All.EqualTo(SaveResult.Saved));
        Assert.That((await Store.GetAsync(incidents[10].Id, CancellationToken.None))!.Version, Is.EqualTo(1), "nothing of the failed change");
        Assert.That((await Store.GetAsync(incidents[11].Id, CancellationToken.None))!.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task TwoStoresOnOneFile_ShareNumbering()
    {
        using var second = new SqliteIncidentStore($"Data Source={_store!.DataSource}", Clock);
        await second.MigrateAsync(CancellationToken.None);

        var a = CreateAsync();
        var (_, b) = await second.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);

        Assert.That(new[] { (await a).Number, b!.Number }.Order(), Is.EqualTo(new[] { 1, 2 }));
    }
}
