using System.Net;
using System.Text.Json;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing;
using IncidentBot.Testing.Postgres;
using IncidentBot.Testing.Slack;
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

    private List<FakeSlackCall> PrivateAnswers(string channel) =>
        Slack.CallsTo("chat.postEphemeral").Where(c => c.Arg("channel") == channel && c.Arg("user") == "U1").ToList();

    private async Task<List<string?>> NotesAsync() =>
        (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "Note").Select(e => e.GetProperty("text").GetString()).ToList();

    /// <summary>
    /// "Working on it" promises a private answer once the work ends: either it was noted, or nothing was
    /// changed. Returns whether it says the note was recorded.
    /// </summary>
    private async Task<bool> FollowUpSaysRecordedAsync(string channel, int privateBefore)
    {
        Assert.That(await Poll.UntilAsync(() => PrivateAnswers(channel).Count > privateBefore, TimeSpan.FromSeconds(30)), Is.True, "the promised private answer arrives");
        var text = PrivateAnswers(channel)[privateBefore].Arg("text");
        Assert.That(text, Does.StartWith("Noted").Or.Contain("could not record that"));
        return text.StartsWith("Noted", StringComparison.Ordinal);
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
        var privateBefore = PrivateAnswers(channel).Count;
        string during;
        using (var response = await CommandAsync("note during the outage", channel))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            during = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;
            Assert.That(during, Does.Contain("could not record that").Or.Contain("Working on it"));
        }

        using (var health = await Bot.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive, only not ready");
        }

        _proxy.Restore();
        Assert.That(await Poll.UntilAsync(async () => await ReadyAsync() == HttpStatusCode.OK, TimeSpan.FromSeconds(30)), Is.True, "recovers by itself");

        // What the person was told about the note during the outage must match what the store kept.
        var slow = during.Contains("Working on it", StringComparison.Ordinal);
        var recorded = slow && await FollowUpSaysRecordedAsync(channel, privateBefore);
        TestContext.Out.WriteLine($"during the outage: \"{during}\"; recorded: {recorded}");
        Assert.That(await NotesAsync(), recorded ? Does.Contain("during the outage") : Does.Not.Contain("during the outage"),
            recorded ? "the follow-up said it was noted" : "the person was told nothing was changed");

        using (var after = await CommandAsync("note after the outage", channel))
        {
            Assert.That(await after.Content.ReadAsStringAsync(), Does.Contain("Noted"));
        }

        Assert.That(PrivateAnswers(channel), Has.Count.EqualTo(privateBefore + (slow ? 1 : 0)),
            "one private follow-up for the slow answer, none for the others");
        Assert.That(await NotesAsync(), Does.Contain("before the outage").And.Contain("after the outage"));
        Assert.That(Bot.HasExited, Is.False);
    }

    [Test]
    public async Task DatabaseSlowerThanTheBudget_WorkingOnIt_ThenThePrivateAnswerMatchesTheTimeline()
    {
        var (channel, _, incidentId) = await DeclareAsync("Slow store drill sev3");
        var privateBefore = PrivateAnswers(channel).Count;

        // Another transaction holds the incident's row, so the note's save waits past Slack's answer budget.
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT id FROM incidents WHERE id = @id FOR UPDATE", connection, transaction))
        {
            hold.Parameters.AddWithValue("id", incidentId);
            await hold.ExecuteNonQueryAsync();
        }

        string during;
        using (var response = await CommandAsync("note while the store is slow", channel))
        {
            during = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;
        }

        await transaction.CommitAsync();

        Assert.That(during, Does.Contain("Working on it"));
        var recorded = await FollowUpSaysRecordedAsync(channel, privateBefore);
        TestContext.Out.WriteLine($"recorded after the wait: {recorded}");
        Assert.That(await NotesAsync(), recorded ? Does.Contain("while the store is slow") : Does.Not.Contain("while the store is slow"));
        Assert.That(await Poll.SettledAsync(() => PrivateAnswers(channel).Count), Is.EqualTo(privateBefore + 1), "exactly one private answer follows");
    }
}
