using IncidentBot.Core.Incidents;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Storage;
using IncidentBot.Storage.Transfer;
using IncidentBot.Testing;
using IncidentBot.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Transfer;

/// <summary>
/// migrate-store as a user checks it: SQLite -> LiteDB -> PostgreSQL, and the bot on the last store answers every
/// incident's API, timeline and postmortem byte for byte as it did on the first.
/// </summary>
[NonParallelizable]
public sealed class MigrateStoreApiTests
{
    private static readonly string[] Paths = ["/api/incidents", "/api/incidents/1", "/api/incidents/1/timeline", "/api/incidents/1/postmortem", "/api/incidents/2", "/api/incidents/2/timeline", "/api/incidents/2/postmortem?tz=Europe/Paris"];

    [Test]
    public async Task Migrate_SqliteToLiteDbToPostgres_ApiAnswersByteForByteTheSame()
    {
        var folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var sqlite = $"Data Source={Path.Combine(folder, "first.db")}";
        var lite = $"Filename={Path.Combine(folder, "second.litedb")}";
        var postgres = PostgresTestServer.AdminConnectionString is null ? null : await PostgresTestServer.CreateDatabaseAsync();
        var (lastProvider, last) = postgres is null ? (StoreProviders.Sqlite, $"Data Source={Path.Combine(folder, "third.db")}") : (StoreProviders.Postgres, postgres);
        try
        {
            var before = await AnswersAsync(StoreProviders.Sqlite, sqlite, fill: true);

            Assert.That(await CopyAsync(StoreProviders.Sqlite, sqlite, StoreProviders.LiteDb, lite), Is.EqualTo(StoreMigration.Copied));
            Assert.That(await CopyAsync(StoreProviders.LiteDb, lite, lastProvider, last), Is.EqualTo(StoreMigration.Copied));
            var after = await AnswersAsync(lastProvider, last, fill: false);

            TestContext.Out.WriteLine($"compared {Paths.Length} answers, {before.Sum(a => a.Length)} bytes, on {lastProvider}");
            Assert.That(after, Is.EqualTo(before));
            Assert.That(before[3], Does.Contain("Rolled back the deploy").And.Contain("| Severity |"), "the answers carry the incident's content");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (postgres is not null)
            {
                await PostgresTestServer.DropDatabaseAsync(postgres);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> CopyAsync(string fromProvider, string from, string toProvider, string to)
    {
        using var output = new StringWriter();
        var result = await StoreMigration.RunAsync(fromProvider, from, toProvider, to, TimeProvider.System, output, CancellationToken.None);
        TestContext.Out.WriteLine($"{fromProvider} -> {toProvider}:\n{output}");
        return result;
    }

    /// <summary>The bot on the given store, asked every path (after a real incident history when <paramref name="fill"/>).</summary>
    private static async Task<string[]> AnswersAsync(string provider, string connectionString, bool fill)
    {
        await using var host = new TestHost(new() { ["IncidentBot:Storage:Provider"] = provider, ["IncidentBot:Storage:ConnectionString"] = connectionString });
        using var client = host.CreateApiClient();
        if (fill)
        {
            var service = host.Services.GetRequiredService<IncidentService>();
            var context = new CommandContext("slack", "T1", "CGENERAL", new Person("U1", "Ada"));
            var first = (await service.DeclareAsync(new DeclareRequest("Checkout errors", Severity.Sev2, IncidentType.Livesite), context, CancellationToken.None)).Incident!;
            host.Clock.Advance(TimeSpan.FromMinutes(4));
            await service.ExecuteAsync(new TransitionCommand(LifecycleAction.Acknowledge), context, first.Id, CancellationToken.None);
            await service.ExecuteAsync(new StatusUpdateCommand("Rolled back the deploy; errors falling."), context, first.Id, CancellationToken.None);
            await service.ExecuteAsync(new NoteCommand("Customer tickets spiking"), context, first.Id, CancellationToken.None);
            host.Clock.Advance(TimeSpan.FromMinutes(20));
            await service.ExecuteAsync(new TransitionCommand(LifecycleAction.Resolve), context, first.Id, CancellationToken.None);
            await service.DeclareAsync(new DeclareRequest("Search slow \"quoted\" & <tagged>", Severity.Sev3, IncidentType.Deployment, "From a deploy"), context, CancellationToken.None);

            // Everything delivered first: a row still pending would be delivered by the next bot and change its answers.
            var store = host.Services.GetRequiredService<IIncidentStore>();
            // A delivery that failed for a moment (a loaded machine) is retried after a backoff on the host's clock: a
            // second at a time lets it come due, far short of any reminder.
            Assert.That(await Poll.UntilAsync(async () =>
            {
                if (await store.CountPendingOutboxAsync(CancellationToken.None) == 0)
                {
                    return true;
                }

                host.Clock.Advance(TimeSpan.FromSeconds(1));
                return false;
            }, TimeSpan.FromSeconds(20)), Is.True);
        }

        var answers = new List<string>();
        foreach (var path in Paths)
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.IsSuccessStatusCode, Is.True, $"{provider} {path}: {(int)response.StatusCode}");
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        return [.. answers];
    }
}
