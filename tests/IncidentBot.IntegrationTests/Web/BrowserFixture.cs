using IncidentBot.Core.Ports;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Storage;
using IncidentBot.Testing.Oidc;
using Microsoft.Playwright;

namespace IncidentBot.IntegrationTests.Web;

/// <summary>
/// The real bot as a process on 127.0.0.1 with its web view behind a fake OIDC provider on loopback, and Debian's
/// chromium driven by Playwright (never a downloaded browser). Without /usr/bin/chromium the tests are skipped.
/// </summary>
public abstract class BrowserFixture
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ClientId = "web-browser-client";
    public const string ClientSecret = "web-browser-secret-0123456789";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private string _folder = "";
    private IPlaywright? _playwright;

    protected FakeOidcProvider Provider { get; private set; } = null!;

    protected BotProcess Bot { get; private set; } = null!;

    protected IBrowser Browser { get; private set; } = null!;

    protected string BaseUrl => $"http://127.0.0.1:{Bot.Port}";

    /// <summary>Extra settings of the bot process (environment variables).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Writes what the pages show into the store before the bot starts.</summary>
    protected abstract Task SeedAsync(IIncidentStore store, DateTimeOffset now);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"{Chromium} is not installed (Debian package chromium): the browser tests need it.");
        }

        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-web", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        // The store the suite runs on (SQLite, the default, or LiteDB with INCIDENTBOT_TEST_STORE=LiteDb).
        var provider = BotFixture.EmbeddedProvider == StoreProviders.LiteDb ? StoreProviders.LiteDb : StoreProviders.Sqlite;
        var connection = provider == StoreProviders.LiteDb ? $"Filename={Path.Combine(_folder, "bot.litedb")}" : $"Data Source={Path.Combine(_folder, "bot.db")}";
        var store = StoreProviders.Create(provider, connection, TimeProvider.System);
        await StoreProviders.MigrateAsync(store, CancellationToken.None);
        await SeedAsync(store, TimeProvider.System.GetUtcNow());
        await StoreProviders.DisposeAsync(store);

        Provider = new FakeOidcProvider(ClientId, ClientSecret, TimeProvider.System);
        await Provider.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["IncidentBot__Storage__Provider"] = provider,
            ["IncidentBot__Storage__ConnectionString"] = connection,
            ["IncidentBot__Web__Oidc__Authority"] = Provider.Authority,
            ["IncidentBot__Web__Oidc__ClientId"] = ClientId,
            ["IncidentBot__Web__Oidc__ClientSecret"] = ClientSecret,
            ["IncidentBot__Web__Oidc__RequireHttpsMetadata"] = "false",
            ["IncidentBot__Slack__AllowedTeamIds__0"] = "T1",
            ["IncidentBot__Postmortem__TimeZone"] = "Europe/Paris",
        };
        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }

        Bot = await BotProcess.StartAsync(_folder, environment);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Bot is not null)
        {
            await Bot.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A fresh browser profile (no cookies) at desktop or phone width, downloads allowed.</summary>
    protected async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900) =>
        await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            JavaScriptEnabled = false,
        });

    /// <summary>Opens <paramref name="path"/> signed out: the fake provider answers at once, so this ends back on the page.</summary>
    protected async Task<IPage> SignInAsync(IBrowserContext context, string path = "/")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + path);
        return page;
    }
}
