using System.Net;
using System.Text.Json;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Host.Tests.Api;

public sealed class StoreApiTests
{
    [TestCase("LiteDb", "Filename=", "bot.litedb")]
    [TestCase("Sqlite", "Data Source=", "bot.db")]
    public async Task Backup_WhileTheBotRuns_WritesACopyThatOpensWithTheSameIncidents(string provider, string key, string file)
    {
        var folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        using var host = new TestHost(new()
        {
            ["IncidentBot:Storage:Provider"] = provider,
            ["IncidentBot:Storage:ConnectionString"] = key + Path.Combine(folder, file),
            ["IncidentBot:Storage:BackupFolder"] = Path.Combine(folder, "backups"),
        });
        using var client = host.CreateApiClient();
        var store = (IStoreTransfer)host.Services.GetService(typeof(Core.Ports.IIncidentStore))!;
        await ((Core.Ports.IIncidentStore)store).CreateAsync(
            new Core.Incidents.Incident { Platform = "slack", WorkspaceId = "T1", Title = "backed up", Commander = new("U1", "Ada"), DeclaredBy = new("U1", "Ada"), Version = 1 },
            i => new Core.Ports.IncidentChange { Incident = i }, null, CancellationToken.None);

        using var response = await client.PostAsync(new Uri("/api/store/backup", UriKind.Relative), null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var path = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("path").GetString()!;
        Assert.That(path, Does.StartWith(Path.Combine(folder, "backups")));
        var copy = Storage.StoreProviders.Create(provider, key + path, TimeProvider.System);
        try
        {
            await Storage.StoreProviders.MigrateAsync(copy, CancellationToken.None);
            Assert.That((await ((IStoreTransfer)copy).ExportAsync(CancellationToken.None)).Incidents.Select(i => i.Title), Is.EqualTo(new[] { "backed up" }));
        }
        finally
        {
            await Storage.StoreProviders.DisposeAsync(copy);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            host.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Backup_WithoutAnApiKey_Is401()
    {
        using var host = new TestHost();
        using var client = host.CreateClient();

        using var response = await client.PostAsync(new Uri("/api/store/backup", UriKind.Relative), null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
