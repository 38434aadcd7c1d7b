using System.Diagnostics;

namespace IncidentBot.Host.Tests.Configuration;

/// <summary>The host's <c>migrate-store</c> and <c>backup</c> commands, run as the built host process.</summary>
public sealed class StoreCommandTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task MigrateStore_SqliteToLiteDb_PrintsCountsThenRefusesTheNowFullTarget()
    {
        var sqlite = $"Data Source={Path.Combine(_folder, "bot.db")}";
        var store = new Storage.Sqlite.SqliteIncidentStore(sqlite, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        await store.CreateAsync(new Core.Incidents.Incident { Platform = "slack", WorkspaceId = "T1", Title = "moved", Commander = new("U1", "Ada"), DeclaredBy = new("U1", "Ada"), Version = 1 },
            i => new Core.Ports.IncidentChange { Incident = i }, null, CancellationToken.None);
        store.Dispose();
        string[] args = ["migrate-store", "--from", "Sqlite", "--from-connection", sqlite, "--to", "LiteDb", "--to-connection", $"Filename={Path.Combine(_folder, "bot.litedb")}"];

        var (first, firstOut, _) = await RunAsync(args);
        var (again, againOut, _) = await RunAsync(args);
        var (usage, _, usageError) = await RunAsync(["migrate-store", "--from", "Oracle"]);

        Assert.That(first, Is.Zero, firstOut);
        Assert.That(firstOut, Does.Match(@"incidents\s+1\s+1"));
        Assert.That(again, Is.EqualTo(4), againOut);
        Assert.That(againOut, Does.Contain("holds").And.Contain("rows already"));
        Assert.That((usage, usageError), Is.EqualTo((64, "usage: migrate-store --from <LiteDb|Sqlite|Postgres> --from-connection <cs> --to <provider> --to-connection <cs>\n")));
    }

    [Test]
    public async Task Backup_OfAStoppedLiteDbBot_WritesACopy()
    {
        var (code, output, error) = await RunAsync(["backup", Path.Combine(_folder, "copy.litedb")], new() { ["IncidentBot__Storage__Provider"] = "LiteDb" });

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("Backed up " + Path.Combine(_folder, "data", "incidentbot.litedb")));
        Assert.That(File.Exists(Path.Combine(_folder, "copy.litedb")), Is.True);
    }

    [Test]
    public async Task Backup_OnSqliteWhereOnlyTheLiteDbFileIs_RefusesAndCreatesNothing()
    {
        // The image's volume from when it ran LiteDB, the image now on SQLite: a backup must not start an empty store there.
        var lite = Path.Combine(_folder, "data", "incidentbot.litedb");
        using (var store = new Storage.LiteDb.LiteDbIncidentStore($"Filename={lite}", TimeProvider.System))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        var sqlite = Path.Combine(_folder, "data", "incidentbot.db");
        var (code, _, error) = await RunAsync(["backup", Path.Combine(_folder, "copy.db")], new()
        {
            ["IncidentBot__Storage__Provider"] = "Sqlite",
            ["IncidentBot__Storage__ConnectionString"] = $"Data Source={sqlite}",
        });

        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.StartWith("Configuration error: ").And.Contain(lite).And.Contain("IncidentBot:Storage:Provider=LiteDb"));
        Assert.That(File.Exists(sqlite) || File.Exists(Path.Combine(_folder, "copy.db")), Is.False, "nothing was created");
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IncidentBot.Host.dll"), .. args])
        {
            WorkingDirectory = _folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
