using System.Diagnostics;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Configuration;

public sealed class StartupTests
{
    [Test]
    public void Start_ZeroOrEmptyReminder_MeansNone()
    {
        using var host = new TestHost(new() { ["IncidentBot:Reminders:Sev1"] = "0", ["IncidentBot:Reminders:Sev2"] = "" });

        Assert.DoesNotThrow(() => host.CreateClient().Dispose());
    }

    [Test]
    public async Task Process_Start_SaysWhichPlatformsAreOnAndWhyOthersAreOff()
    {
        var output = await StartAndReadUntilListeningAsync(new()
        {
            ["IncidentBot__Slack__SigningSecret"] = "super-secret-signing-value",
            ["IncidentBot__Slack__BotToken"] = "xoxb-super-secret-token",
        });

        Assert.That(output, Does.Contain("Slack: on"));
        Assert.That(output, Does.Contain("Teams: off (IncidentBot:Teams:AppId is not set, so its routes answer 404)"));
        Assert.That(output, Does.Contain("API: off"));
        Assert.That(output, Does.Contain("Web view: off (IncidentBot:Web:Oidc:Authority and IncidentBot:Web:Oidc:ClientId are not set"));
        Assert.That(output, Does.Not.Contain("WITHOUT a token"));
        Assert.That(output, Does.Not.Contain("super-secret-signing-value").And.Not.Contain("xoxb-super-secret-token"));
    }

    [Test]
    public async Task Process_StartWithLoopbackSwitch_WarnsThatTeamsAcceptsUnauthenticatedActivities()
    {
        var output = await StartAndReadUntilListeningAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["IncidentBot__Teams__AppId"] = "00000000-0000-0000-0000-0000000000b0",
            ["IncidentBot__Teams__AllowUnauthenticatedLoopback"] = "true",
            ["IncidentBot__Web__AllowAnonymousLoopback"] = "true",
            ["IncidentBot__Api__Keys__0"] = "test-api-key-0123456789",
        });

        Assert.That(output, Does.Contain("Teams: on"));
        Assert.That(output, Does.Contain("Slack: off (IncidentBot:Slack:SigningSecret is not set"));
        Assert.That(output, Does.Contain("Teams: activities WITHOUT a token are accepted from loopback addresses"));
        Assert.That(output, Does.Contain("Web view: loopback requests are let in WITHOUT sign-in"));
        Assert.That(output, Does.Not.Contain("API: off"));
    }

    [Test]
    public async Task Process_StartWithOidc_SaysTheWebViewIsOnAndWhoIsLetIn()
    {
        var output = await StartAndReadUntilListeningAsync(new()
        {
            ["IncidentBot__Web__Oidc__Authority"] = "https://slack.com",
            ["IncidentBot__Web__Oidc__ClientId"] = "12345.67890",
            ["IncidentBot__Web__Oidc__ClientSecret"] = "super-secret-oidc-client-value",
            ["IncidentBot__Slack__AllowedTeamIds__0"] = "T0RR",
        });

        Assert.That(output, Does.Contain("Web view: on at /, sign-in with https://slack.com; admitted: Slack workspaces T0RR; Entra tenant none"));
        Assert.That(output, Does.Not.Contain("super-secret-oidc-client-value"));
    }

    [TestCase("IncidentBot__Reminders__Sev2", "half an hour", "IncidentBot:Reminders:Sev2")]
    [TestCase("IncidentBot__Reminders__Sev4", "-00:05:00", "IncidentBot:Reminders:Sev4")]
    [TestCase("IncidentBot__Storage__Provider", "Oracle", "IncidentBot:Storage:Provider")]
    [TestCase("IncidentBot__Storage__ConnectionString", "Host=db;Username=bot;Database=incidentbot", "IncidentBot:Storage:ConnectionString")]
    [TestCase("IncidentBot__Api__Keys__0", "short", "IncidentBot:Api:Keys")]
    [TestCase("IncidentBot__Postmortem__TimeZone", "Mars/Olympus", "IncidentBot:Postmortem:TimeZone")]
    [TestCase("IncidentBot__FollowUps__DigestDay", "Caturday", "IncidentBot:FollowUps:DigestDay")]
    [TestCase("IncidentBot__FollowUps__DigestTime", "9am", "IncidentBot:FollowUps:DigestTime")]
    [TestCase("IncidentBot__FollowUps__TimeZone", "Mars/Olympus", "IncidentBot:FollowUps:TimeZone")]
    [TestCase("IncidentBot__Slack__ApiBaseUrl", "not a url", "IncidentBot:Slack:ApiBaseUrl")]
    [TestCase("IncidentBot__Slack__AppToken", "xoxb-pasted-bot-token-by-mistake", "IncidentBot:Slack:AppToken")]
    [TestCase("IncidentBot__Slack__SocketConnections", "11", "IncidentBot:Slack:SocketConnections")]
    [TestCase("IncidentBot__Teams__AllowUnauthenticatedLoopback", "true", "IncidentBot:Teams:AllowUnauthenticatedLoopback")]
    [TestCase("IncidentBot__Teams__AppId", "5e1f0c2a-7d3b-4c4e-9a51-00000000b07a", "IncidentBot:Teams:AppPassword")]
    [TestCase("IncidentBot__Teams__GraphBaseUrl", "graph", "IncidentBot:Teams:GraphBaseUrl")]
    [TestCase("IncidentBot__Web__AllowAnonymousLoopback", "true", "IncidentBot:Web:AllowAnonymousLoopback")]
    [TestCase("IncidentBot__Web__Oidc__ClientId", "client-without-authority", "IncidentBot:Web:Oidc:Authority")]
    public async Task Process_BadValue_ExitsWithOneClearLineNamingTheKey(string variable, string value, string key)
    {
        var folder = NewFolder();
        var (exitCode, lines, output) = await RunUntilExitAsync(folder, new()
        {
            [variable] = value,
            ["IncidentBot__Slack__SigningSecret"] = "super-secret-signing-value",
            ["IncidentBot__Slack__BotToken"] = "xoxb-super-secret-token",
        });

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("Configuration error: ").And.Contain(key));
        Assert.That(output + lines[0], Does.Not.Contain("super-secret-signing-value").And.Not.Contain("xoxb-super-secret-token"));
        Directory.Delete(folder, recursive: true);
    }

    [TestCase("LiteDb", "data/incidentbot.litedb")]
    [TestCase("Sqlite", "data/incidentbot.db")]
    public async Task Process_StartOnAnEmbeddedStore_LogsTheStoreAndItsDefaultFile(string provider, string file)
    {
        var folder = NewFolder();

        var output = await StartAndReadUntilListeningAsync(new() { ["IncidentBot__Storage__Provider"] = provider }, folder);

        Assert.That(output, Does.Contain($"Storage: {provider} at {Path.Combine(folder, file)}"));
    }

    [Test]
    public async Task Process_NoProviderAndNoFile_StartsOnTheDefaultSqliteFile()
    {
        var folder = NewFolder();

        var output = await StartAndReadUntilListeningAsync([], folder);

        Assert.That(output, Does.Contain($"Storage: Sqlite at {Path.Combine(folder, "data", "incidentbot.db")}"));
    }

    [Test]
    public async Task Process_NoProviderAndOnlyTheLiteDbDefaultFile_StaysOnThatFile()
    {
        // A bot that ran while LiteDB was the default: its LiteDB file is used, not an empty SQLite file beside it.
        var folder = NewFolder();
        var lite = await LiteDbFileAsync(folder, "incidentbot.litedb");

        var output = await StartAndReadUntilListeningAsync([], folder);

        Assert.That(output, Does.Contain($"Storage: LiteDb at {lite}"));
    }

    [Test]
    public async Task Process_SqliteConfiguredWhereOnlyALiteDbFileIs_ExitsWithOneLineNamingBoth()
    {
        // The image's volume from the days LiteDB was its store, with the image now on SQLite: no empty start beside it.
        var folder = NewFolder();
        var lite = await LiteDbFileAsync(folder, "incidentbot.litedb");
        var sqlite = Path.Combine(folder, "data", "incidentbot.db");
        var (exitCode, lines, _) = await RunUntilExitAsync(folder, new()
        {
            ["IncidentBot__Storage__Provider"] = "Sqlite",
            ["IncidentBot__Storage__ConnectionString"] = $"Data Source={sqlite}",
        });

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("Configuration error: ").And.Contain(sqlite).And.Contain(lite).And.Contain("IncidentBot:Storage:Provider=LiteDb"));
        Assert.That(File.Exists(sqlite), Is.False, "nothing was created beside the LiteDB file");
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task Process_NoProviderAndALiteDbConnectionString_StartsOnLiteDb()
    {
        // Configured while LiteDB was the default: its connection string (LiteDB's Filename= key) keeps it on LiteDB.
        var folder = NewFolder();
        var lite = Path.Combine(folder, "store", "bot.litedb");

        var output = await StartAndReadUntilListeningAsync(new() { ["IncidentBot__Storage__ConnectionString"] = $"Filename={lite}" }, folder);

        Assert.That(output, Does.Contain($"Storage: LiteDb at {lite}"));
    }

    [Test]
    public async Task Process_SqliteConfiguredBesideALiteDbFileOfAnotherName_Starts()
    {
        // Only the default names tell a switched provider: stores side by side under names of their own are meant.
        var folder = NewFolder();
        await LiteDbFileAsync(folder, "bot.litedb");
        var sqlite = Path.Combine(folder, "data", "bot.db");

        var output = await StartAndReadUntilListeningAsync(new()
        {
            ["IncidentBot__Storage__Provider"] = "Sqlite",
            ["IncidentBot__Storage__ConnectionString"] = $"Data Source={sqlite}",
        }, folder);

        Assert.That(output, Does.Contain($"Storage: Sqlite at {sqlite}"));
    }

    /// <summary>A LiteDB store with its schema at <c>data/<paramref name="name"/></c> in <paramref name="folder"/>, closed.</summary>
    private static async Task<string> LiteDbFileAsync(string folder, string name)
    {
        var file = Path.Combine(folder, "data", name);
        using (var store = new Storage.LiteDb.LiteDbIncidentStore($"Filename={file}", TimeProvider.System))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        return file;
    }

    [Test]
    public async Task Process_SecondBotOnTheSameLiteDbFile_ExitsWithOneLineNamingTheFile()
    {
        var folder = NewFolder();
        var environment = new Dictionary<string, string> { ["IncidentBot__Storage__Provider"] = "LiteDb" };
        using var first = StartHost(folder, environment);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await first.StandardOutput.ReadLineAsync(timeout.Token) is { } line && !line.Contains("Now listening on", StringComparison.Ordinal))
            {
            }

            var (exitCode, lines, _) = await RunUntilExitAsync(folder, environment);

            Assert.That(exitCode, Is.EqualTo(3));
            Assert.That(lines, Has.Length.EqualTo(1));
            Assert.That(lines[0], Does.StartWith("Storage error: ").And.Contain(Path.Combine(folder, "data", "incidentbot.litedb")).And.Contain("in use by another process"));
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the built host in <paramref name="folder"/> until it exits (60 s at most, then killed): its exit code, its error lines and its output.</summary>
    private static async Task<(int ExitCode, string[] ErrorLines, string Output)> RunUntilExitAsync(string folder, Dictionary<string, string> environment)
    {
        using var process = StartHost(folder, environment);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries), await stdout);
    }

    /// <summary>Starts the built host as a process on a free port and returns what it logged up to "Now listening on".</summary>
    private static async Task<string> StartAndReadUntilListeningAsync(Dictionary<string, string> environment, string? folder = null)
    {
        folder ??= NewFolder();
        var output = new System.Text.StringBuilder();
        using var process = StartHost(folder, environment);
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("Now listening on", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }

        Assert.That(output.ToString(), Does.Contain("Now listening on"), await stderr);
        return output.ToString();
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The built host as a process on a free loopback port, in <paramref name="folder"/>, with <paramref name="environment"/>.</summary>
    private static Process StartHost(string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IncidentBot.Host.dll")])
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0", ["Logging__Console__ColorBehavior"] = "Disabled" },
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }
}
