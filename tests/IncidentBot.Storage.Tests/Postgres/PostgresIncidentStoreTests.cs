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
        _store = new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(_connectionString), Clock);
        await _store.MigrateAsync(CancellationToken.None);
        return _store;
    }

    protected override IIncidentStore CreateSecondStore() => new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(_connectionString), Clock);

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
    public async Task Migrate_ReplicasStartingTogetherOnAnEmptyDatabase_MigrateOnce()
    {
        // A database of its own that nothing has migrated yet (SetUp migrated the test's usual one).
        var empty = await PostgresTestServer.CreateDatabaseAsync();
        var replicas = Enumerable.Range(0, 8).Select(_ => new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(empty), Clock)).ToList();
        try
        {
            Assert.That(await ScalarAsync(empty, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"), Is.Zero, "starts empty");

            await Task.WhenAll(replicas.Select(r => Task.Run(() => r.MigrateAsync(CancellationToken.None))));

            var versions = new List<(int Version, long Rows)>();
            await using (var connection = new NpgsqlConnection(empty))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT version, COUNT(*) FROM schema_version GROUP BY version ORDER BY version", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    versions.Add((reader.GetInt32(0), reader.GetInt64(1)));
                }
            }

            Assert.That(versions, Is.Not.Empty);
            Assert.That(versions.Select(v => v.Version), Is.EqualTo(Enumerable.Range(1, versions.Count)), "every version from 1, none skipped");
            Assert.That(versions.Select(v => v.Rows), Is.All.EqualTo(1L), "each version applied exactly once");
            var (_, incident) = await replicas[^1].CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
            Assert.That(incident!.Number, Is.EqualTo(1), "the migrated schema works");
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            await PostgresTestServer.DropDatabaseAsync(empty);
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task Create_ConcurrentDeclaresFromTwoReplicas_GapFree()
    {
        await using var second = new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(_connectionString), Clock);
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

        await using var second = new PostgresIncidentStore(PostgresIncidentStore.CreateDataSource(_connectionString), Clock);
        var claims = await Task.WhenAll(
            Task.Run(() => Store.ClaimOutboxAsync(Clock.GetUtcNow(), 30, TimeSpan.FromMinutes(1), CancellationToken.None)),
            Task.Run(() => second.ClaimOutboxAsync(Clock.GetUtcNow(), 30, TimeSpan.FromMinutes(1), CancellationToken.None)));

        var ids = claims.SelectMany(c => c.Select(i => i.Id)).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.Count.EqualTo(40));
    }

    [TestCase("", true)]
    [TestCase(";Max Auto Prepare=0", false)]
    public async Task CreateDataSource_StoresStatements_PreparedUnlessTheConnectionStringSaysNot(string setting, bool prepared)
    {
        // One connection in the pool, so the check below runs on the connection the store wrote on.
        await using var source = PostgresIncidentStore.CreateDataSource(_connectionString + ";Maximum Pool Size=1" + setting);
        await using var store = new PostgresIncidentStore(source, Clock);
        var (_, incident) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        for (var version = 2; version <= 6; version++)
        {
            var next = incident! with { Version = version, Title = $"Checkout errors {version}" };
            Assert.That(await store.SaveAsync(new IncidentChange { Incident = next, Entries = [Entry($"step {version}")] }, CancellationToken.None), Is.EqualTo(SaveResult.Saved));
            Assert.That(await store.FindByConversationAsync("slack", "C-none", CancellationToken.None), Is.Null);
            incident = next;
        }

        await using var connection = await source.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_prepared_statements", connection);
        var statements = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(statements > 0, Is.EqualTo(prepared), $"{statements} statements prepared on the store's connection");
    }
}
