using IncidentBot.Core.Ports;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Tests.Contract;
using IncidentBot.Testing.Postgres;
using Npgsql;

namespace IncidentBot.Storage.Tests.Postgres;

/// <summary>The same store contract on a real PostgreSQL server.</summary>
public sealed class PostgresIncidentStoreTests : IncidentStoreContract
{
    private string _connectionString = "";
    private PostgresIncidentStore? _store;

    protected override async Task<IIncidentStore> CreateStoreAsync()
    {
        _connectionString = await PostgresTestServer.CreateDatabaseAsync();
        _store = new PostgresIncidentStore(NpgsqlDataSource.Create(_connectionString), Clock);
        await _store.MigrateAsync(CancellationToken.None);
        return _store;
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_connectionString.Length > 0)
        {
            await PostgresTestServer.DropDatabaseAsync(_connectionString);
        }
    }

    [Test]
    public async Task Migrate_ReplicasStartingTogether_MigrateOnce()
    {
        var others = Enumerable.Range(0, 4).Select(_ => new PostgresIncidentStore(NpgsqlDataSource.Create(_connectionString), Clock)).ToList();

        await Task.WhenAll(others.Select(s => s.MigrateAsync(CancellationToken.None)));

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM schema_version", connection);
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1L));
        foreach (var other in others)
        {
            await other.DisposeAsync();
        }
    }

    [Test]
    public async Task Create_ConcurrentDeclaresFromTwoReplicas_GapFree()
    {
        await using var second = new PostgresIncidentStore(NpgsqlDataSource.Create(_connectionString), Clock);
        var stores = new IIncidentStore[] { Store, second };

        var created = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
            (await stores[i % 2].CreateAsync(Draft(), x => new IncidentChange { Incident = x }, null, CancellationToken.None)).Incident!.Number)));

        Assert.That(created.Order(), Is.EqualTo(Enumerable.Range(1, 100)));
    }

    [Test]
    public async Task ClaimOutbox_TwoReplicasAtOnce_EachRowOnce()
    {
        for (var i = 0; i < 40; i++)
        {
            await CreateAsync("T1", Post($"m{i}", $"C{i}"));
        }

        await using var second = new PostgresIncidentStore(NpgsqlDataSource.Create(_connectionString), Clock);
        var claims = await Task.WhenAll(
            Task.Run(() => Store.ClaimOutboxAsync(Clock.GetUtcNow(), 30, TimeSpan.FromMinutes(1), CancellationToken.None)),
            Task.Run(() => second.ClaimOutboxAsync(Clock.GetUtcNow(), 30, TimeSpan.FromMinutes(1), CancellationToken.None)));

        var ids = claims.SelectMany(c => c.Select(i => i.Id)).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.Count.EqualTo(40));
    }
}
