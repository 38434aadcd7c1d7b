using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Host.Trackers;
using IncidentBot.Testing;
using IncidentBot.Testing.Trackers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Tests.Trackers;

/// <summary>
/// The real host with GitHub configured against the fake GitHub on 127.0.0.1: a follow-up's issue is created through
/// the outbox, and <c>POST /trackers/github/webhook</c> (signed, de-duplicated by delivery id) marks it done on
/// <c>closed</c> and open again on <c>reopened</c>.
/// </summary>
public sealed class GitHubWebhookTests
{
    private const string Token = "ghp-test-token-0123456789";
    private const string Secret = "incidentbot-test-secret";

    private FakeGitHubServer _github = null!;
    private TestHost _host = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _github = new FakeGitHubServer(Token);
        await _github.StartAsync();
        _host = new TestHost(new Dictionary<string, string?>
        {
            ["IncidentBot:FollowUps:Tracker:Kind"] = "GitHub",
            ["IncidentBot:FollowUps:Tracker:BaseUrl"] = _github.BaseUrl,
            ["IncidentBot:FollowUps:Tracker:Repository"] = _github.Repository,
            ["IncidentBot:FollowUps:Tracker:Token"] = Token,
            ["IncidentBot:FollowUps:Tracker:WebhookSecret"] = Secret,
        });
        _client = _host.CreateClient();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _github.DisposeAsync();
    }

    private IIncidentStore Store => _host.Services.GetRequiredService<IIncidentStore>();

    private async Task<FollowUp> FollowUpAsync(long incidentId) => (await Store.GetAsync(incidentId, CancellationToken.None))!.FollowUps.Single();

    /// <summary>An incident with follow-up 1 whose issue the outbox created.</summary>
    private async Task<(Incident Incident, string Url)> WithTrackedFollowUpAsync()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var declared = await service.DeclareAsync(new DeclareRequest("Checkout errors", Severity.Sev2, IncidentType.Livesite), ServiceHarness.In("CGENERAL"), CancellationToken.None);
        var incident = declared.Incident!;
        Assert.That(await Poll.UntilAsync(async () => (await Store.GetAsync(incident.Id, CancellationToken.None))?.ConversationId is not null), Is.True);
        var channel = (await Store.GetAsync(incident.Id, CancellationToken.None))!.ConversationId!;
        var added = await service.ExecuteAsync(new AddFollowUpCommand("Alert on queue depth", null, null), ServiceHarness.In(channel), CancellationToken.None);
        Assert.That(added.Changed, Is.True, added.Text.PlainText);
        Assert.That(await Poll.UntilAsync(async () => (await FollowUpAsync(incident.Id)).TrackerUrl is not null, TimeSpan.FromSeconds(10)), Is.True, "the issue was created");
        return (incident, (await FollowUpAsync(incident.Id)).TrackerUrl!);
    }

    /// <summary>The reference sample of an <c>issues</c> event, for our issue (its html_url and body with the marker).</summary>
    private static byte[] Event(string action, string url, long incidentId, int number)
    {
        var payload = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("trackers", $"github-webhook-issues-{action}.json")))!.AsObject();
        payload["issue"]!["html_url"] = url;
        payload["issue"]!["body"] = "Follow-up body\n\n" + TrackerChatPlatform.MarkerOf(incidentId, number);
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private static string Sign(byte[] body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string? signature, string delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/trackers/github/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await _client.SendAsync(request);
    }

    [Test]
    public async Task Closed_marks_the_follow_up_done_and_reopened_opens_it_again()
    {
        var (incident, url) = await WithTrackedFollowUpAsync();

        var closed = Event("closed", url, incident.Id, 1);
        using (var response = await PostAsync(closed, Sign(closed), "delivery-1"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That((await FollowUpAsync(incident.Id)).State, Is.EqualTo(FollowUpState.Done));

        var reopened = Event("reopened", url, incident.Id, 1);
        using (var response = await PostAsync(reopened, Sign(reopened), "delivery-2"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var followUp = await FollowUpAsync(incident.Id);
        Assert.That((followUp.State, followUp.ClosedAt), Is.EqualTo((FollowUpState.Open, (DateTimeOffset?)null)));

        // Closing in GitHub does not PATCH GitHub back.
        Assert.That(_github.Calls.Count(c => c.Method == "PATCH"), Is.Zero);
    }

    [Test]
    public async Task A_redelivery_changes_the_follow_up_once()
    {
        var (incident, url) = await WithTrackedFollowUpAsync();
        var closed = Event("closed", url, incident.Id, 1);
        using (var first = await PostAsync(closed, Sign(closed), "delivery-7"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Reopened by hand in between: the redelivered close must not close it again.
        var reopened = Event("reopened", url, incident.Id, 1);
        using (var again = await PostAsync(reopened, Sign(reopened), "delivery-8"))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var redelivery = await PostAsync(closed, Sign(closed), "delivery-7"))
        {
            Assert.That(redelivery.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await redelivery.Content.ReadAsStringAsync(), Does.Contain("duplicate"));
        }

        Assert.That((await FollowUpAsync(incident.Id)).State, Is.EqualTo(FollowUpState.Open));
        var entries = await Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(entries.Count(e => e.Text.Contains("closed the tracker issue", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [TestCase(null)]
    [TestCase("sha256=0000")]
    [TestCase("sha1=1e2fdb9378a06a27da4766ada93fb388a1ffb3fb")]
    [TestCase("wrong-secret")]
    public async Task A_bad_or_missing_signature_is_401_and_changes_nothing(string? signature)
    {
        var (incident, url) = await WithTrackedFollowUpAsync();
        var closed = Event("closed", url, incident.Id, 1);
        var header = signature == "wrong-secret" ? Sign(closed, "another-secret-entirely") : signature;
        using var response = await PostAsync(closed, header, "delivery-3");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await FollowUpAsync(incident.Id)).State, Is.EqualTo(FollowUpState.Open));
        Assert.That(await Store.WasInboundProcessedAsync("github-delivery:delivery-3", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task A_malformed_body_is_400_and_an_unknown_issue_200_with_nothing_changed()
    {
        var (incident, url) = await WithTrackedFollowUpAsync();
        var malformed = "{\"action\":\"closed\",\"issue\":"u8.ToArray();
        using (var response = await PostAsync(malformed, Sign(malformed), "delivery-4"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        var unmarked = File.ReadAllBytes(RepoPaths.Fixture("trackers", "github-webhook-issues-closed.json"));
        using (var response = await PostAsync(unmarked, Sign(unmarked), "delivery-5"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // The marker names our follow-up, but the issue is another one: not ours to change.
        var other = Event("closed", url + "0", incident.Id, 1);
        using (var response = await PostAsync(other, Sign(other), "delivery-6"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That((await FollowUpAsync(incident.Id)).State, Is.EqualTo(FollowUpState.Open));
    }

    [Test]
    public async Task Without_a_webhook_secret_the_route_is_404_and_a_ping_is_ignored()
    {
        await using (var plain = new TestHost())
        {
            using var client = plain.CreateClient();
            using var off = await client.PostAsync("/trackers/github/webhook", new StringContent("{}"));
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        var ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/trackers/github/webhook") { Content = new ByteArrayContent(ping) };
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", "delivery-ping");
        request.Headers.Add("X-Hub-Signature-256", Sign(ping));
        using var response = await _client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("ignored"));
    }

    [Test]
    public void The_signature_check_accepts_the_reference_vectors()
    {
        // GitHub's documented vector, and the sample delivery signed over its exact file bytes.
        Assert.That(GitHubWebhook.SignatureMatches(Encoding.UTF8.GetBytes("It's a Secret to Everybody"), Encoding.UTF8.GetBytes("Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), Is.True);
        var body = File.ReadAllBytes(RepoPaths.Fixture("trackers", "github-webhook-issues-closed.json"));
        var headers = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("trackers", "github-webhook-issues-closed.headers.json"))).RootElement;
        var signature = headers.GetProperty("X-Hub-Signature-256").GetString()!;
        Assert.That(GitHubWebhook.SignatureMatches(Encoding.UTF8.GetBytes(Secret), body, signature), Is.True);
        Assert.That(GitHubWebhook.SignatureMatches(Encoding.UTF8.GetBytes(Secret), [.. body, (byte)' '], signature), Is.False);
    }

    [TestCase("Kind", "Linear", "IncidentBot:FollowUps:Tracker:Kind")]
    [TestCase("Token", "", "IncidentBot:FollowUps:Tracker:Token")]
    [TestCase("Repository", "just-a-name", "IncidentBot:FollowUps:Tracker:Repository")]
    [TestCase("BaseUrl", "http://tracker.example.com", "IncidentBot:FollowUps:Tracker:BaseUrl")]
    [TestCase("Project", "OPS", "IncidentBot:FollowUps:Tracker:Project")]
    [TestCase("WebhookSecret", "short", "IncidentBot:FollowUps:Tracker:WebhookSecret")]
    public void Bad_configuration_is_refused_naming_the_key(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["IncidentBot:FollowUps:Tracker:Kind"] = "GitHub",
            ["IncidentBot:FollowUps:Tracker:Repository"] = "acme/ops",
            ["IncidentBot:FollowUps:Tracker:Token"] = Token,
            [$"IncidentBot:FollowUps:Tracker:{key}"] = value,
        };
        AssertRefused(settings, named);
    }

    [TestCase("DoneTransition", "", "IncidentBot:FollowUps:Tracker:DoneTransition")]
    [TestCase("BaseUrl", "", "IncidentBot:FollowUps:Tracker:BaseUrl")]
    [TestCase("Repository", "acme/ops", "IncidentBot:FollowUps:Tracker:Repository")]
    [TestCase("User", "", "IncidentBot:FollowUps:Tracker:User")]
    public void Bad_Jira_configuration_is_refused_naming_the_key(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["IncidentBot:FollowUps:Tracker:Kind"] = "Jira",
            ["IncidentBot:FollowUps:Tracker:BaseUrl"] = "https://acme.atlassian.net",
            ["IncidentBot:FollowUps:Tracker:Project"] = "OPS",
            ["IncidentBot:FollowUps:Tracker:IssueType"] = "Task",
            ["IncidentBot:FollowUps:Tracker:User"] = "bot@acme.example",
            ["IncidentBot:FollowUps:Tracker:Token"] = Token,
            ["IncidentBot:FollowUps:Tracker:DoneTransition"] = "Done",
            [$"IncidentBot:FollowUps:Tracker:{key}"] = value,
        };
        AssertRefused(settings, named);
    }

    private static void AssertRefused(Dictionary<string, string?> settings, string named)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTrackers();
        using var services = builder.Services.BuildServiceProvider();

        Assert.That(() => services.GetRequiredService<IOptions<TrackerOptions>>().Value,
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains(named));
    }

    [Test]
    public void No_tracker_is_valid_and_the_webhook_is_off()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddTrackers();
        using var services = builder.Services.BuildServiceProvider();
        Assert.That(services.GetRequiredService<IOptions<TrackerOptions>>().Value.IsEnabled, Is.False);
        Assert.That(services.GetServices<IChatPlatform>(), Is.Empty);
    }
}
