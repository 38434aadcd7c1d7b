using System.Net;
using System.Text.Json;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing;
using IncidentBot.Testing.Postgres;
using Npgsql;

namespace IncidentBot.IntegrationTests;

/// <summary>PostgreSQL goes away behind a proxy and comes back: readiness follows, nothing acknowledged is lost.</summary>
public sealed class DatabaseOutageTests : SlackBotFixture
{
    private string _database = "";
    private TcpProxy? _proxy;

    protected override async Task BeforeStartAsync()
    {
        _database = await PostgresTestServer.CreateDatabaseAsync();
        _proxy = new TcpProxy(new NpgsqlConnectionStringBuilder(_database).Port);
    }

    protected override async Task AfterStopAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            _proxy = null;
        }

        if (_database.Length > 0)
        {
            await PostgresTestServer.DropDatabaseAsync(_database);
            _database = "";
        }
    }

    protected override Dictionary<string, string> StorageSettings() => new()
    {
        ["IncidentBot__Storage__Provider"] = "Postgres",
        ["IncidentBot__Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(_database) { Port = _proxy!.Port, Timeout = 2, CommandTimeout = 3 }.ConnectionString,
    };

    private async Task<HttpStatusCode> ReadyAsync()
    {
        using var response = await Bot.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return response.StatusCode;
    }

    [Test]
    public async Task DatabaseDownThenBack_ReadinessFollows_NothingAcknowledgedLost()
    {
        var (channel, _, _) = await DeclareAsync("Store outage drill sev3");
        using (var before = await CommandAsync("note before the outage", channel))
        {
            Assert.That(await before.Content.ReadAsStringAsync(), Does.Contain("Noted"));
        }

        _proxy!.Cut();
        Assert.That(await Poll.UntilAsync(async () => await ReadyAsync() == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20)), Is.True, "/readyz fails while the database is unreachable");
        using (var during = await CommandAsync("note during the outage", channel))
        {
            var text = JsonDocument.Parse(await during.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString();
            Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Does.Contain("could not record that").Or.Contain("Working on it"));
        }

        using (var health = await Bot.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive, only not ready");
        }

        _proxy.Restore();
        Assert.That(await Poll.UntilAsync(async () => await ReadyAsync() == HttpStatusCode.OK, TimeSpan.FromSeconds(30)), Is.True, "recovers by itself");
        using (var after = await CommandAsync("note after the outage", channel))
        {
            Assert.That(await after.Content.ReadAsStringAsync(), Does.Contain("Noted"));
        }

        var notes = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "Note").Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.That(notes, Does.Contain("before the outage").And.Contain("after the outage"));
        Assert.That(Bot.HasExited, Is.False);
    }
}
