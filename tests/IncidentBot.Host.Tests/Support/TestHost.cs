using IncidentBot.Core.Ports;
using IncidentBot.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Host.Tests.Support;

/// <summary>The real host in process on a temporary SQLite file, with a fake clock (FakeTimeProvider) and a recording platform.</summary>
public sealed class TestHost : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly Dictionary<string, string?> _settings;

    public TestHost(Dictionary<string, string?>? settings = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>
        {
            ["IncidentBot:Storage:Provider"] = "Sqlite",
            ["IncidentBot:Storage:ConnectionString"] = $"Data Source={Path.Combine(Folder, "bot.db")}",
            ["IncidentBot:Api:Keys:0"] = ApiKey,

            // appsettings.Development.json turns the sandbox on; tests that want it say so.
            ["IncidentBot:Sandbox:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string Folder { get; }

    public FakeTimeProvider Clock { get; } = TestClock.Create();

    public RecordingPlatform Platform { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IChatPlatform>(Platform);
        });
    }

    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
