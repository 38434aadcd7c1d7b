using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing;
using IncidentBot.Testing.Trackers;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// Follow-ups mirrored to GitHub Issues end to end: the bot as a process, Slack and GitHub as fakes on 127.0.0.1. Typed
/// in Slack, the issue is created and its link shown on the follow-up's message; done closes it; GitHub's webhook
/// reopening it opens the follow-up again. Neither the GitHub token nor the webhook secret reaches the logs.
/// </summary>
public sealed class SlackTrackerTests : SlackBotFixture
{
    private const string GitHubToken = "ghp-integration-token-0123456789";
    private const string WebhookSecret = "integration-webhook-secret-0123";

    private FakeGitHubServer _github = null!;

    protected override IReadOnlyList<string> Secrets => [Token, Secret, ApiKey, GitHubToken, WebhookSecret];

    protected override async Task BeforeStartAsync()
    {
        _github = new FakeGitHubServer(GitHubToken);
        await _github.StartAsync();
    }

    protected override async Task AfterStopAsync() => await _github.DisposeAsync();

    protected override Dictionary<string, string> ExtraSettings() => new()
    {
        ["IncidentBot__FollowUps__Tracker__Kind"] = "GitHub",
        ["IncidentBot__FollowUps__Tracker__BaseUrl"] = _github.BaseUrl,
        ["IncidentBot__FollowUps__Tracker__Repository"] = _github.Repository,
        ["IncidentBot__FollowUps__Tracker__Token"] = GitHubToken,
        ["IncidentBot__FollowUps__Tracker__WebhookSecret"] = WebhookSecret,
    };

    [Test]
    public async Task FollowUp_IssueCreatedLinkShown_DoneCloses_WebhookReopens()
    {
        var (channel, _, _) = await DeclareAsync();
        using (var added = await CommandAsync("followup Alert on queue depth", channel))
        {
            Assert.That(await added.Content.ReadAsStringAsync(), Does.Contain("Follow-up 1 added"));
        }

        Assert.That(await Poll.UntilAsync(() => _github.Issues.Count == 1, TimeSpan.FromSeconds(15)), Is.True, "the issue is created");
        var issue = _github.Issues.Values.Single();
        Assert.That(issue.Title, Is.EqualTo("Alert on queue depth"));
        var url = _github.HtmlUrlOf(issue.Number);
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Any(m => m.Blocks?.ToJsonString().Contains(url, StringComparison.Ordinal) == true), TimeSpan.FromSeconds(15)),
            Is.True, "the follow-up's message shows the issue's link");

        using (var done = await CommandAsync("followup done 1", channel))
        {
            Assert.That(await done.Content.ReadAsStringAsync(), Does.Contain("Follow-up 1 is done"));
        }

        Assert.That(await Poll.UntilAsync(() => _github.Issues[issue.Number].State == "closed", TimeSpan.FromSeconds(15)), Is.True);
        Assert.That(_github.Issues[issue.Number].StateReason, Is.EqualTo("completed"));

        var payload = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("trackers", "github-webhook-issues-reopened.json")))!.AsObject();
        payload["issue"]!["html_url"] = url;
        payload["issue"]!["body"] = _github.Issues[issue.Number].Body;
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/trackers/github/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", "it-delivery-1");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), body)));
        using (var response = await Bot.Client.SendAsync(request))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var list = await CommandAsync("followups", channel);
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Contain("| open |"), "reopened in GitHub: open again");
    }
}
