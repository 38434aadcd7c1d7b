using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Host.Trackers;
using IncidentBot.Testing.Trackers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Tests.Trackers;

/// <summary>Follow-ups mirrored to Jira Cloud (REST v3) through the outbox, against a fake Jira on 127.0.0.1.</summary>
public sealed class JiraTrackerTests
{
    private const string User = "bot@acme.example";
    private const string Token = "jira-api-token-0123456789";

    private TrackerRig _rig = null!;
    private FakeJiraServer _jira = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _jira = new FakeJiraServer(User, Token);
        await _jira.StartAsync();
        var options = Options.Create(new TrackerOptions
        {
            Kind = "Jira", BaseUrl = _jira.BaseUrl, Project = _jira.Project, IssueType = "Task", User = User, Token = Token, DoneTransition = "Done",
        });
        _rig = await TrackerRig.CreateAsync((http, clock) => new JiraTrackerClient(http, options, clock));
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _rig.DisposeAsync();
        await _jira.DisposeAsync();
    }

    [Test]
    public async Task Adding_creates_the_issue_with_an_Atlassian_document_and_stores_its_browse_link()
    {
        var (incident, _) = await _rig.WithFollowUpAsync();
        await _rig.DrainAsync();

        var issue = _jira.Issues.Values.Single();
        Assert.That((string?)issue.Fields["summary"], Is.EqualTo("Alert on queue depth"));
        Assert.That((string?)issue.Fields["issuetype"]!["name"], Is.EqualTo("Task"));
        var description = issue.Fields["description"]!.ToJsonString();
        Assert.That(description, Does.Contain("\"type\":\"doc\"").And.Contain($"Follow-up 1 of {incident.Key}").And.Not.Contain("<!--"));
        Assert.That((await _rig.FollowUpAsync(incident)).TrackerUrl, Is.EqualTo($"{_jira.BaseUrl}/browse/{issue.Key}"));
    }

    [Test]
    public async Task Done_moves_the_issue_through_the_done_transition()
    {
        var (_, channel) = await _rig.WithFollowUpAsync();
        await _rig.DrainAsync();
        await _rig.RunAsync(channel, new FollowUpDoneCommand(1));
        await _rig.DrainAsync();

        var issue = _jira.Issues.Values.Single();
        Assert.That(issue.Status, Is.EqualTo("Done"));
        var moved = _jira.Calls.Single(c => c.Method == "POST" && c.Path.EndsWith("/transitions", StringComparison.Ordinal));
        Assert.That((moved.Status, moved.Body!.ToJsonString()), Is.EqualTo((204, """{"transition":{"id":"31"}}""")));
    }

    [Test]
    public async Task An_outage_with_retry_after_is_delivered_later()
    {
        _jira.FailNext(503);
        _jira.FailNext(429, retryAfterSeconds: 20);
        var (incident, channel) = await _rig.WithFollowUpAsync();
        await _rig.RunAsync(channel, new DropFollowUpCommand(1, "not needed"));

        await _rig.DrainAsync();
        _rig.Harness.Clock.Advance(DispatcherSettings.DefaultMaxBackoff);
        await _rig.DrainAsync();
        Assert.That(_jira.Issues, Is.Empty);
        _rig.Harness.Clock.Advance(TimeSpan.FromSeconds(20));
        await _rig.DrainAsync();

        var issue = _jira.Issues.Values.Single();
        Assert.That(issue.Status, Is.EqualTo("Done"));
        Assert.That((await _rig.FollowUpAsync(incident)).TrackerUrl, Does.EndWith("/browse/" + issue.Key));
    }
}
