using System.Net;
using System.Text;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>What the Slack edge accepts and refuses: signatures, sizes, malformed bodies, ssl_check (events: <see cref="SlackEventTests"/>).</summary>
public sealed class SlackEdgeTests : SlackBotFixture
{
    private async Task<int> IncidentCountAsync() => (await ApiAsync("/api/incidents")).GetArrayLength();

    [Test]
    public async Task Signature_Valid_Accepted()
    {
        using var response = await Bot.Client.SendAsync(SlackSigner.Form("/slack/commands", SlackSigner.Command("declare Valid one"), Secret));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await IncidentCountAsync(), Is.EqualTo(1));
    }

    [TestCase("wrong-secret")]
    [TestCase("stale")]
    [TestCase("future")]
    [TestCase("missing-signature")]
    [TestCase("missing-timestamp")]
    [TestCase("tampered")]
    public async Task Signature_Bad_401AndNothingChanges(string kind)
    {
        var body = SlackSigner.Command("declare Should not exist");
        var now = SlackSigner.Now();
        using var request = kind switch
        {
            "wrong-secret" => SlackSigner.Form("/slack/commands", body, "not-the-secret"),
            "stale" => SlackSigner.Form("/slack/commands", body, Secret, now - 330),
            "future" => SlackSigner.Form("/slack/commands", body, Secret, now + 330),
            _ => SlackSigner.Form("/slack/commands", body, Secret),
        };
        if (kind == "missing-signature")
        {
            request.Headers.Remove("X-Slack-Signature");
        }
        else if (kind == "missing-timestamp")
        {
            request.Headers.Remove("X-Slack-Request-Timestamp");
        }
        else if (kind == "tampered")
        {
            request.Content = new StringContent(body.Replace("Should%20not%20exist", "Sneaky", StringComparison.Ordinal), Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await Bot.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await IncidentCountAsync(), Is.Zero);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task SslCheck_SignedOrNot_EmptyOkAndNothingElse(bool withSignature)
    {
        const string Probe = "ssl_check=1&token=x";
        using var request = withSignature
            ? SlackSigner.Form("/slack/commands", Probe, Secret)
            : new HttpRequestMessage(HttpMethod.Post, new Uri("/slack/commands", UriKind.Relative)) { Content = new StringContent(Probe, Encoding.UTF8, "application/x-www-form-urlencoded") };

        using var response = await Bot.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(Slack.Calls, Is.Empty);
        Assert.That(await IncidentCountAsync(), Is.Zero);
    }

    [Test]
    public async Task Body_TooLarge_413()
    {
        var body = "text=" + new string('a', 600 * 1024);
        using var response = await Bot.Client.SendAsync(SlackSigner.Form("/slack/commands", body, Secret));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [TestCase("/slack/commands", "application/x-www-form-urlencoded", "text=declare+x")]
    [TestCase("/slack/interactions", "application/x-www-form-urlencoded", "payload=%7Bnot+json")]
    [TestCase("/slack/interactions", "application/x-www-form-urlencoded", "nothing=here")]
    [TestCase("/slack/interactions", "application/x-www-form-urlencoded", "payload=%7B%22type%22%3A%22weird%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%7D")]
    [TestCase("/slack/events", "application/json", "{\"type\":")]
    [TestCase("/slack/events", "application/json", "{\"type\":\"event_callback\"}")]
    [TestCase("/slack/events", "application/json", "[1,2,3]")]
    public async Task Malformed_400WithReason(string path, string contentType, string body)
    {
        using var response = await Bot.Client.SendAsync(SlackSigner.Build(path, body, contentType, Secret, SlackSigner.Now()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("title"));
    }

    [Test]
    public async Task UrlVerification_EchoesChallenge()
    {
        using var response = await Bot.Client.SendAsync(SlackSigner.Json("/slack/events", "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}", Secret));

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}"));
    }

    [Test]
    public async Task Fuzz_ThousandsOfSignedGarbageBodies_Only4xxOr200_AndStaysHealthy()
    {
        var random = new Random(1122);
        var paths = new[] { "/slack/commands", "/slack/interactions", "/slack/events" };
        var types = new[] { "application/x-www-form-urlencoded", "application/json", "text/plain", "application/octet-stream" };
        var pieces = new[] { "payload=", "text=", "{", "}", "[", "\"type\":", "\"event_callback\"", "\"block_actions\"", "\"view_submission\"", "%7B", "%22", "&", "=", "\u0000", "\"user\":{\"id\":\"U1\"}", "\"actions\":[{\"action_id\":\"incident.acknowledge\",\"value\":\"1\"}]", "declare", "null", "9999999999999999999999", "\"event\":{\"type\":\"pin_added\"}", "\"event_id\":\"E1\"" };
        var statuses = new Dictionary<HttpStatusCode, int>();
        var tasks = new List<Task>();
        using var gate = new SemaphoreSlim(8);
        for (var i = 0; i < 3000; i++)
        {
            var body = new StringBuilder();
            for (var p = random.Next(0, 12); p > 0; p--)
            {
                body.Append(random.Next(4) == 0 ? (char)random.Next(1, 0xD7FF) : pieces[random.Next(pieces.Length)]);
            }

            var request = SlackSigner.Build(paths[random.Next(paths.Length)], body.ToString(), types[random.Next(types.Length)], Secret, SlackSigner.Now());
            await gate.WaitAsync();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await Bot.Client.SendAsync(request);
                    lock (statuses)
                    {
                        statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                    }
                }
                finally
                {
                    request.Dispose();
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        TestContext.Out.WriteLine(string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}")));

        Assert.That(statuses.Keys.Where(s => (int)s >= 500), Is.Empty);
        Assert.That(statuses.Keys.All(s => s == HttpStatusCode.OK || ((int)s >= 400 && (int)s < 500)), Is.True);
        using var health = await Bot.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Bot.HasExited, Is.False);
    }
}

/// <summary>A bot that only serves one workspace.</summary>
public sealed class SlackAllowedTeamsTests : SlackBotFixture
{
    protected override Dictionary<string, string> ExtraSettings() => new() { ["IncidentBot__Slack__AllowedTeamIds__0"] = "TALLOWED" };

    [Test]
    public async Task OtherWorkspace_403AndNothingChanges()
    {
        using var response = await CommandAsync("declare From elsewhere");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await ApiAsync("/api/incidents")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task AllowedWorkspace_Accepted()
    {
        using var response = await Bot.Client.SendAsync(SlackSigner.Form("/slack/commands", SlackSigner.Command("declare Ours", team: "TALLOWED"), Secret));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
