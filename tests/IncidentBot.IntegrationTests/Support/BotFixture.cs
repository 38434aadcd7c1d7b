using System.Net.Http.Headers;
using System.Text.Json;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>
/// The real bot process in a temp folder of its own (its embedded store there unless overridden), in front of a platform's
/// fakes on 127.0.0.1. Every test checks at the end that the bot's logs never held one of the fixture's secrets.
/// </summary>
public abstract class BotFixture
{
    public const string ApiKey = "integration-api-key-0123456789";

    private readonly List<string> _outputs = [];

    protected string Folder { get; private set; } = "";

    protected BotProcess Bot { get; private set; } = null!;

    /// <summary>What the bot must never log, checked against every bot's output at the end of each test.</summary>
    protected abstract IReadOnlyList<string> Secrets { get; }

    /// <summary>The message of the failed secrets check.</summary>
    protected abstract string SecretsLeakedMessage { get; }

    /// <summary>The platform's settings of the bots this fixture starts (credentials and fake endpoints).</summary>
    protected abstract Dictionary<string, string> PlatformSettings();

    /// <summary>Starts the platform's fakes, before the first bot.</summary>
    protected abstract Task StartFakesAsync();

    /// <summary>Stops the platform's fakes (those that started), after the bots.</summary>
    protected abstract Task StopFakesAsync();

    protected virtual Dictionary<string, string> ExtraSettings() => [];

    /// <summary>
    /// The embedded store the suite runs on: SQLite (the bot's default), or LiteDB with <c>INCIDENTBOT_TEST_STORE=LiteDb</c>
    /// (CI runs the suite on both).
    /// </summary>
    public static string EmbeddedProvider =>
        string.Equals(Environment.GetEnvironmentVariable("INCIDENTBOT_TEST_STORE"), "LiteDb", StringComparison.OrdinalIgnoreCase) ? "LiteDb" : "Sqlite";

    /// <summary>Storage settings of the bots this fixture starts; the embedded store in the test folder unless overridden.</summary>
    protected virtual Dictionary<string, string> StorageSettings() => EmbeddedProvider == "LiteDb" ? LiteDbSettings() : SqliteSettings();

    /// <summary>LiteDB in the test folder.</summary>
    protected Dictionary<string, string> LiteDbSettings() => new()
    {
        ["IncidentBot__Storage__Provider"] = "LiteDb",
        ["IncidentBot__Storage__ConnectionString"] = $"Filename={Path.Combine(Folder, "bot.litedb")}",
    };

    /// <summary>SQLite in the test folder, for tests about SQLite itself.</summary>
    protected Dictionary<string, string> SqliteSettings() => new()
    {
        ["IncidentBot__Storage__Provider"] = "Sqlite",
        ["IncidentBot__Storage__ConnectionString"] = $"Data Source={Path.Combine(Folder, "bot.db")}",
    };

    /// <summary>Runs before the first bot starts (e.g. to create a database).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Runs after the bots stopped.</summary>
    protected virtual Task AfterStopAsync() => Task.CompletedTask;

    [SetUp]
    public async Task StartAsync()
    {
        Folder = Path.Combine(Path.GetTempPath(), "incidentbot-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Bot = null!;
        await BeforeStartAsync();
        await StartFakesAsync();
        Bot = await StartBotAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        // SetUp may have stopped early (no PostgreSQL server: the test is skipped).
        if (Bot is not null)
        {
            await Bot.DisposeAsync();
            _outputs.Add(Bot.Output);
        }

        await StopFakesAsync();
        await AfterStopAsync();
        var logs = string.Join('\n', _outputs);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        var secrets = Secrets;
        var noSecret = Does.Not.Contain(secrets[0]);
        foreach (var secret in secrets.Skip(1))
        {
            noSecret = noSecret.And.Not.Contain(secret);
        }

        Assert.That(logs, noSecret, SecretsLeakedMessage);
    }

    protected async Task<BotProcess> StartBotAsync()
    {
        var settings = PlatformSettings();
        settings["IncidentBot__Api__Keys__0"] = ApiKey;
        settings["Logging__LogLevel__Default"] = "Debug";
        foreach (var (key, value) in StorageSettings().Concat(ExtraSettings()))
        {
            settings[key] = value;
        }

        return await BotProcess.StartAsync(Folder, settings);
    }

    /// <summary>Stops the current bot (SIGKILL when <paramref name="kill"/>) and starts another on the same file.</summary>
    protected async Task RestartBotAsync(bool kill)
    {
        if (kill)
        {
            await Bot.KillAsync();
        }
        else
        {
            await Bot.StopAsync();
        }

        _outputs.Add(Bot.Output);
        await Bot.DisposeAsync();
        Bot = await StartBotAsync();
    }

    /// <summary>Keeps a second bot's logs for the secrets check.</summary>
    protected void CollectOutput(BotProcess other) => _outputs.Add(other.Output);

    protected async Task<JsonElement> ApiAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await Bot.Client.SendAsync(request);
        Assert.That(response.IsSuccessStatusCode, Is.True, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    protected async Task<List<string>> TimelineKindsAsync(int number) =>
        (await ApiAsync($"/api/incidents/{number}/timeline")).EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();
}
