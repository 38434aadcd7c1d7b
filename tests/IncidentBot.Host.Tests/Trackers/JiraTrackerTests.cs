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

    private ServiceHarness _h = null!;
    private FakeJiraServer _jira = null!;
    private HttpClient _http = null!;
    private IncidentService _service = null!;
    private OutboxDispatcher _dispatcher = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _h = await ServiceHarness.CreateAsync();
        _jira = new FakeJiraServer(User, Token);
        await _jira.StartAsync();
        var options = Options.Create(new TrackerOptions
        {
            Kind = "Jira", BaseUrl = _jira.BaseUrl, Project = _jira.Project, IssueType = "Task", User = User, Token = Token, DoneTransition = "Done",
        });
        _service = new IncidentService(_h.Store, _h.Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9"])]) { MirrorsFollowUps = true };
        _http = new HttpClient();
        var tracker = new TrackerChatPlatform(new JiraTrackerClient(_http, options, _h.Clock), _service);
        _dispatcher = new OutboxDispatcher(_h.Store, [_h.Platform, tracker], _h.Clock, NullLogger<OutboxDispatcher>.Instance, new DispatcherSettings { InProcessRetries = 0 });
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _http.Dispose();
        await _jira.DisposeAsync();
        await _h.DisposeAsync();
    }

    private async Task DrainAsync()
    {
        while (await _dispatcher.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private async Task<(Incident Incident, string Channel)> WithFollowUpAsync()
    {
        var declared = await _service.DeclareAsync(new DeclareRequest("Checkout errors", Severity.Sev2, IncidentType.Livesite), ServiceHarness.In("CGENERAL"), CancellationToken.None);
        await DrainAsync();
        var channel = await _h.ConversationOfAsync(declared.Incident!);
        await _service.ExecuteAsync(new AddFollowUpCommand("Alert on queue depth", ServiceHarness.Grace, null), ServiceHarness.In(channel), CancellationToken.None);
        return (declared.Incident!, channel);
    }

    private async Task<FollowUp> FollowUpAsync(Incident incident) =>
        (await _h.Store.GetAsync(incident.Id, CancellationToken.None))!.FollowUps.Single();

    [Test]
    public async Task Adding_creates_the_issue_with_an_Atlassian_document_and_stores_its_browse_link()
    {
        var (incident, _) = await WithFollowUpAsync();
        await DrainAsync();

        var issue = _jira.Issues.Values.Single();
        Assert.That((string?)issue.Fields["summary"], Is.EqualTo("Alert on queue depth"));
        Assert.That((string?)issue.Fields["issuetype"]!["name"], Is.EqualTo("Task"));
        var description = issue.Fields["description"]!.ToJsonString();
        Assert.That(description, Does.Contain("\"type\":\"doc\"").And.Contain($"Follow-up 1 of {incident.Key}").And.Not.Contain("<!--"));
        Assert.That((await FollowUpAsync(incident)).TrackerUrl, Is.EqualTo($"{_jira.BaseUrl}/browse/{issue.Key}"));
    }

    [Test]
    public async Task Done_moves_the_issue_through_the_done_transition()
    {
        var (_, channel) = await WithFollowUpAsync();
        await DrainAsync();
        await _service.ExecuteAsync(new FollowUpDoneCommand(1), ServiceHarness.In(channel), CancellationToken.None);
        await DrainAsync();

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
        var (incident, channel) = await WithFollowUpAsync();
        await _service.ExecuteAsync(new DropFollowUpCommand(1, "not needed"), ServiceHarness.In(channel), CancellationToken.None);

        await DrainAsync();
        _h.Clock.Advance(DispatcherSettings.DefaultMaxBackoff);
        await DrainAsync();
        Assert.That(_jira.Issues, Is.Empty);
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        await DrainAsync();

        var issue = _jira.Issues.Values.Single();
        Assert.That(issue.Status, Is.EqualTo("Done"));
        Assert.That((await FollowUpAsync(incident)).TrackerUrl, Does.EndWith("/browse/" + issue.Key));
    }
}
