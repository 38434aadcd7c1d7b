using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Teams;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// Development with a local Teams stand-in (the Microsoft 365 Agents Playground): no credentials, activities
/// without a token from loopback, a connector that takes anonymous calls and answers 202 without a body.
/// </summary>
public sealed class TeamsPlaygroundModeTests
{
    private string _folder = "";
    private FakeTeamsServer _connector = null!;
    private BotProcess _bot = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _connector = new FakeTeamsServer { PlaygroundMode = true, AcceptsAnonymous = true };
        await _connector.StartAsync();
        _bot = await BotProcess.StartAsync(_folder, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["IncidentBot__Teams__AppId"] = "00000000-0000-0000-0000-0000000000b0",
            ["IncidentBot__Teams__AllowUnauthenticatedLoopback"] = "true",
            ["IncidentBot__Storage__Provider"] = "Sqlite",
            ["IncidentBot__Storage__ConnectionString"] = $"Data Source={Path.Combine(_folder, "bot.db")}",
        });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Loopback_NoToken_DeclaredAndAnsweredAnonymously()
    {
        // The Playground's shape: a channel thread it invents, its own service URL, no Authorization header.
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "pg-1",
            ["channelId"] = "msteams",
            ["serviceUrl"] = _connector.ServiceUrl,
            ["text"] = "<at>Test Bot</at> incident declare db down sev2",
            ["from"] = new JsonObject { ["id"] = "user-id-1", ["name"] = "Alex Wilber" },
            ["recipient"] = new JsonObject { ["id"] = "00000000-0000-0000-0000-0000000000b0", ["name"] = "Test Bot" },
            ["conversation"] = new JsonObject { ["id"] = "channel-announcements-id;messageid=1", ["conversationType"] = "channel", ["tenantId"] = "tenant-id" },
            ["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>Test Bot</at>", ["mentioned"] = new JsonObject { ["id"] = "00000000-0000-0000-0000-0000000000b0", ["name"] = "Test Bot" } }),
        };

        using var response = await _bot.Client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await Poll.UntilAsync(() => _connector.Activities.Any(a => a.Card?.ToJsonString().Contains("INC-1: db down", StringComparison.Ordinal) == true)), Is.True, _bot.Output);

        // No incidents channel configured: the incident lives in the thread it was declared in.
        var header = _connector.Activities.First(a => a.Card?.ToJsonString().Contains("INC-1: db down", StringComparison.Ordinal) == true);
        Assert.That(header.ConversationId, Is.EqualTo("channel-announcements-id;messageid=1"));
        Assert.That(_connector.Calls.Where(c => c.Route != FakeTeamsRoutes.Token).All(c => c.Authorization is null), Is.True, "no token without credentials");
        Assert.That(_connector.TokenRequests, Is.Empty);
        Assert.That(_bot.Output, Does.Contain("WITHOUT a token"));
    }
}
