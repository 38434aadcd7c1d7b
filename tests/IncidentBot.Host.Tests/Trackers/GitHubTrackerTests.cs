using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Host.Trackers;
using IncidentBot.Testing.Trackers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Tests.Trackers;

/// <summary>
/// Follow-ups mirrored to GitHub Issues through the outbox, against a fake of GitHub's REST API on 127.0.0.1:
/// created with title and body, the link stored and shown; done closes as completed, drop as not planned; an outage
/// (503, then 429 with Retry-After) is delivered later with nothing lost.
/// </summary>
public sealed class GitHubTrackerTests
{
    private const string Token = "ghp-test-token-0123456789";

    private TrackerRig _rig = null!;
    private FakeGitHubServer _github = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _github = new FakeGitHubServer(Token);
        await _github.StartAsync();
        var options = Options.Create(new TrackerOptions { Kind = "GitHub", BaseUrl = _github.BaseUrl, Repository = _github.Repository, Token = Token });
        _rig = await TrackerRig.CreateAsync((http, clock) => new GitHubTrackerClient(http, options, clock));
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _rig.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Test]
    public async Task Adding_a_follow_up_creates_the_issue_and_stores_and_shows_its_link()
    {
        var (incident, _) = await _rig.WithFollowUpAsync();
        await _rig.DrainAsync();

        var issue = _github.Issues.Values.Single();
        Assert.That(issue.Title, Is.EqualTo("Alert on queue depth"));
        Assert.That(issue.Body, Does.Contain($"Follow-up 1 of {incident.Key}").And.Contain("Owner: Grace")
            .And.Contain(TrackerChatPlatform.MarkerOf(incident.Id, 1)));
        var followUp = await _rig.FollowUpAsync(incident);
        Assert.That(followUp.TrackerUrl, Is.EqualTo(_github.HtmlUrlOf(issue.Number)));

        // The follow-up's message is refreshed with the link, and the postmortem's tracker column carries it.
        var card = _rig.Harness.Platform.Delivered.Last(i => i.Message.Operation == ChatOperation.Update && i.Message.Anchor == "followup:1").Message.Message!;
        Assert.That(card.Fields, Does.Contain(new MessageField("Tracker", followUp.TrackerUrl!)));
        var draft = await _rig.Service.ExportPostmortemAsync((await _rig.Harness.Store.GetAsync(incident.Id, CancellationToken.None))!, null, CancellationToken.None);
        Assert.That(PostmortemWriter.ToMarkdown(draft), Does.Contain($"| {followUp.TrackerUrl} |"));

        // Delivered once: draining again creates nothing more.
        await _rig.DrainAsync();
        Assert.That(_github.Calls.Count(c => c.Method == "POST"), Is.EqualTo(1));
    }

    [Test]
    public async Task Done_closes_the_issue_as_completed()
    {
        var (incident, channel) = await _rig.WithFollowUpAsync();
        await _rig.DrainAsync();
        var done = await _rig.Service.ExecuteAsync(new FollowUpDoneCommand(1), ServiceHarness.In(channel), CancellationToken.None);
        Assert.That(done.Changed, Is.True);
        await _rig.DrainAsync();

        var issue = _github.Issues.Values.Single();
        Assert.That((issue.State, issue.StateReason), Is.EqualTo(("closed", "completed")));
        var patch = _github.Calls.Single(c => c.Method == "PATCH");
        Assert.That(patch.Body!.ToJsonString(), Is.EqualTo("""{"state":"closed","state_reason":"completed"}"""));
        Assert.That((await _rig.FollowUpAsync(incident)).State, Is.EqualTo(FollowUpState.Done));
    }

    [Test]
    public async Task Drop_closes_the_issue_as_not_planned_even_when_it_was_still_being_created()
    {
        var (incident, channel) = await _rig.WithFollowUpAsync();
        // Dropped before the outbox delivered the creation: the close waits behind it, in order.
        await _rig.Service.ExecuteAsync(new DropFollowUpCommand(1, "covered by the new dashboard"), ServiceHarness.In(channel), CancellationToken.None);
        await _rig.DrainAsync();

        var issue = _github.Issues.Values.Single();
        Assert.That((issue.State, issue.StateReason), Is.EqualTo(("closed", "not_planned")));
        var followUp = await _rig.FollowUpAsync(incident);
        Assert.That((followUp.State, followUp.TrackerUrl), Is.EqualTo((FollowUpState.Dropped, _github.HtmlUrlOf(issue.Number))));
    }

    [Test]
    public async Task A_tracker_outage_is_delivered_later_and_nothing_is_lost()
    {
        _github.FailNext(503);
        _github.FailNext(429, retryAfterSeconds: 30);
        var (incident, channel) = await _rig.WithFollowUpAsync();
        await _rig.Service.ExecuteAsync(new FollowUpDoneCommand(1), ServiceHarness.In(channel), CancellationToken.None);

        await _rig.DrainAsync();
        Assert.That(_github.Issues, Is.Empty, "503: not created");
        _rig.Harness.Clock.Advance(DispatcherSettings.DefaultMaxBackoff);
        await _rig.DrainAsync();
        Assert.That((_github.Issues.Count, _github.FaultsLeft), Is.EqualTo((0, 0)), "429: not created");

        // Retry-After is honoured: not before 30 s.
        _rig.Harness.Clock.Advance(TimeSpan.FromSeconds(29));
        await _rig.DrainAsync();
        Assert.That(_github.Issues, Is.Empty);
        _rig.Harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await _rig.DrainAsync();

        var issue = _github.Issues.Values.Single();
        Assert.That((issue.State, issue.StateReason), Is.EqualTo(("closed", "completed")));
        Assert.That((await _rig.FollowUpAsync(incident)).TrackerUrl, Is.EqualTo(_github.HtmlUrlOf(issue.Number)));
        Assert.That(_github.Calls.Select(c => (c.Method, c.Status)),
            Is.EqualTo(new[] { ("POST", 503), ("POST", 429), ("POST", 201), ("PATCH", 200) }));
    }

    [Test]
    public async Task Without_a_tracker_nothing_is_written_for_it()
    {
        var service = new IncidentService(_rig.Harness.Store, _rig.Harness.Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9"])]);
        var (_, channel) = await _rig.Harness.DeclareOpenAsync();
        await service.ExecuteAsync(new AddFollowUpCommand("Alert on queue depth", null, null), ServiceHarness.In(channel), CancellationToken.None);
        await _rig.DrainAsync();
        Assert.That(_github.Calls, Is.Empty);
    }
}
