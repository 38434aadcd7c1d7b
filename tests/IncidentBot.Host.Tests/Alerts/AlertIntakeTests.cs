using IncidentBot.Core.Alerts;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Alerts;

/// <summary>The alert intake's use case on a real SQLite file: open once per group, add what is new, never resolve.</summary>
public sealed class AlertIntakeTests
{
    private static readonly AlertTarget Slack = new("slack", "T1");
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    private DateTimeOffset Start => _h.Clock.GetUtcNow().AddMinutes(-3);

    private Alert Firing(string instance) => new(
        $"fp-{instance}",
        AlertStatus.Firing,
        new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "checkout", ["instance"] = instance },
        new Dictionary<string, string> { ["summary"] = "5xx rate above 5%" },
        Start,
        null,
        "http://prometheus.example/graph?g0.expr=x");

    private static Alert Resolved(Alert alert, DateTimeOffset at) => alert with { Status = AlertStatus.Resolved, EndsAt = at };

    private static AlertNotification Group(params Alert[] alerts) => new(
        "Alertmanager",
        "{}:{alertname=\"HighErrorRate\", service=\"checkout\"}",
        alerts.Any(a => a.Status == AlertStatus.Firing) ? AlertStatus.Firing : AlertStatus.Resolved,
        "5xx rate above 5% on checkout",
        Severity.Sev2,
        alerts) { Link = "http://alertmanager.example" };

    private Task<AlertOutcome> ReceiveAsync(AlertNotification notification, AlertTarget? target = null) =>
        _h.Service.ReceiveAlertsAsync(notification, target ?? Slack, CancellationToken.None);

    [Test]
    public async Task FiringGroup_OpensADeclaredIncidentWithoutCommander_AlertsFirstOnItsTimeline()
    {
        var outcome = await ReceiveAsync(Group(Firing("a"), Firing("b")));
        await _h.DrainAsync();

        Assert.That(outcome.Result, Is.EqualTo(AlertResult.Opened));
        var incident = (await _h.Store.GetAsync(outcome.Incident!.Id, CancellationToken.None))!;
        Assert.That((incident.State, incident.Severity, incident.Type, incident.Title), Is.EqualTo((IncidentState.Declared, Severity.Sev2, IncidentType.Livesite, "5xx rate above 5% on checkout")));
        Assert.That(incident.Commander.IsAssigned, Is.False);
        Assert.That(incident.DeclaredBy.Name, Is.EqualTo("Alertmanager"));

        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Select(e => e.Kind), Is.EqualTo(new[] { TimelineKind.Alert, TimelineKind.Alert, TimelineKind.Declared, TimelineKind.Alert }).Or.EqualTo(new[] { TimelineKind.Alert, TimelineKind.Alert, TimelineKind.Alert, TimelineKind.Declared }));
        var alertEntries = timeline.Where(e => e.Kind == TimelineKind.Alert && e.Text.StartsWith("Firing", StringComparison.Ordinal)).ToList();
        Assert.That(alertEntries, Has.Count.EqualTo(2));
        Assert.That(alertEntries[0].Text, Does.Contain("HighErrorRate {instance=\"a\", service=\"checkout\"}").And.Contain("summary: 5xx rate above 5%").And.Contain("Source: http://prometheus.example/graph"));
        Assert.That(alertEntries[0].At, Is.EqualTo(Start), "an alert is on the timeline when it started");
        Assert.That(timeline.Single(e => e.Kind == TimelineKind.Declared).Text, Does.Contain("no commander until someone acknowledges"));

        var open = _h.Platform.Delivered.Select(d => d.Message).Single(m => m.Operation == ChatOperation.OpenIncidentConversation);
        Assert.That(open.Conversation!.Invitees, Is.EqualTo(new[] { "U9", "U1" }), "the responders; nobody named after the alerting system");
        var header = _h.Platform.Delivered.Select(d => d.Message).Single(m => m.Anchor == IncidentMessages.HeaderAnchor);
        Assert.That(header.Message!.Fields.Single(f => f.Label == "Commander").Value, Is.EqualTo("unassigned"));
        Assert.That(_h.Platform.Delivered.Select(d => d.Message).Any(m => m.ConversationId == "CANNOUNCE"), Is.True, "announced");
    }

    [Test]
    public async Task RepeatedNotification_AddsNothing()
    {
        var group = Group(Firing("a"), Firing("b"));
        var opened = await ReceiveAsync(group);
        await _h.DrainAsync();
        var entries = (await _h.Store.GetTimelineAsync(opened.Incident!.Id, CancellationToken.None)).Count;
        var version = (await _h.Store.GetAsync(opened.Incident.Id, CancellationToken.None))!.Version;

        var repeat = await ReceiveAsync(group);

        Assert.That(repeat.Result, Is.EqualTo(AlertResult.Unchanged));
        Assert.That(repeat.Incident!.Id, Is.EqualTo(opened.Incident.Id));
        Assert.That((await _h.Store.GetTimelineAsync(opened.Incident.Id, CancellationToken.None)).Count, Is.EqualTo(entries));
        Assert.That((await _h.Store.GetAsync(opened.Incident.Id, CancellationToken.None))!.Version, Is.EqualTo(version));
        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task NewAlertInTheGroup_IsAddedToTheSameIncident_AndToldInItsConversation()
    {
        var opened = await ReceiveAsync(Group(Firing("a")));
        await _h.DrainAsync();
        var channel = await _h.ConversationOfAsync(opened.Incident!);

        var update = await ReceiveAsync(Group(Firing("a"), Firing("b")));
        await _h.DrainAsync();

        Assert.That(update.Result, Is.EqualTo(AlertResult.Updated));
        Assert.That(update.Incident!.Id, Is.EqualTo(opened.Incident!.Id));
        var timeline = await _h.Store.GetTimelineAsync(opened.Incident.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Kind == TimelineKind.Alert && e.Text.StartsWith("Firing", StringComparison.Ordinal)), Is.EqualTo(2));
        var told = _h.Platform.Delivered.Select(d => d.Message).Last(m => m.Operation == ChatOperation.Post);
        Assert.That(told.IncidentId, Is.EqualTo(opened.Incident.Id));
        Assert.That(told.Message!.Text.PlainText, Does.Contain("1 alert firing").And.Contain("instance=\"b\"").And.Not.Contain("instance=\"a\""));
        Assert.That(channel, Is.Not.Null);
        Assert.That(await _h.Store.ListAsync("slack", "T1", openOnly: false, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ResolvedNotification_IsRecordedAndPosted_AndTheIncidentStaysOpen()
    {
        var a = Firing("a");
        var opened = await ReceiveAsync(Group(a));
        await _h.DrainAsync();

        var resolved = await ReceiveAsync(Group(Resolved(a, _h.Clock.GetUtcNow())));
        await _h.DrainAsync();

        Assert.That(resolved.Result, Is.EqualTo(AlertResult.Updated));
        var incident = (await _h.Store.GetAsync(opened.Incident!.Id, CancellationToken.None))!;
        Assert.That(incident.State, Is.EqualTo(IncidentState.Declared), "people resolve incidents, not alerts");
        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Text.StartsWith("Resolved: HighErrorRate", StringComparison.Ordinal)), Is.EqualTo(1));
        var told = _h.Platform.Delivered.Select(d => d.Message).Last(m => m.Operation == ChatOperation.Post);
        Assert.That(told.Message!.Text.PlainText, Does.Contain("1 alert resolved").And.Contain("The incident stays open"));

        Assert.That((await ReceiveAsync(Group(Resolved(a, _h.Clock.GetUtcNow())))).Result, Is.EqualTo(AlertResult.Unchanged), "the resolve repeated adds nothing");
    }

    [Test]
    public async Task Acknowledging_AnUnassignedIncident_MakesTheAcknowledgerCommander()
    {
        var opened = await ReceiveAsync(Group(Firing("a")));
        await _h.DrainAsync();
        var channel = await _h.ConversationOfAsync(opened.Incident!);

        await _h.RunAsync(channel, new TransitionCommand(LifecycleAction.Acknowledge), ServiceHarness.Grace);

        var incident = (await _h.Store.GetAsync(opened.Incident!.Id, CancellationToken.None))!;
        Assert.That((incident.State, incident.Commander), Is.EqualTo((IncidentState.Acknowledged, ServiceHarness.Grace)));
        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Any(e => e.Kind == TimelineKind.RoleAssigned && e.Text == "Grace acknowledged and is commander."), Is.True);

        await _h.RunAsync(channel, new TransitionCommand(LifecycleAction.Mitigate), ServiceHarness.Ada);
        Assert.That((await _h.Store.GetAsync(incident.Id, CancellationToken.None))!.Commander, Is.EqualTo(ServiceHarness.Grace), "command is taken once");
    }

    [Test]
    public async Task RouteWithOnCall_MakesThemCommanderAndInvitesThem()
    {
        var onCall = new Person("U7", "Oncall Olga");

        var opened = await ReceiveAsync(Group(Firing("a")), Slack with { Commander = onCall, AnnouncementConversationId = "CALERTS" });
        await _h.DrainAsync();

        Assert.That(opened.Incident!.Commander, Is.EqualTo(onCall));
        var delivered = _h.Platform.Delivered.Select(d => d.Message).ToList();
        Assert.That(delivered.Single(m => m.Operation == ChatOperation.OpenIncidentConversation).Conversation!.Invitees, Is.EqualTo(new[] { "U7", "U9", "U1" }));
        Assert.That(delivered.Any(m => m.ConversationId == "CALERTS"), Is.True, "announced where the route says");
        Assert.That(delivered.Any(m => m.ConversationId == "CANNOUNCE"), Is.False);
    }

    [Test]
    public async Task AfterTheIncidentIsResolved_TheGroupFiringAgainOpensANewOne()
    {
        var a = Firing("a");
        var first = await ReceiveAsync(Group(a));
        await _h.DrainAsync();
        await _h.RunAsync(await _h.ConversationOfAsync(first.Incident!), new TransitionCommand(LifecycleAction.Resolve));

        var again = await ReceiveAsync(Group(a with { StartsAt = _h.Clock.GetUtcNow() }));

        Assert.That(again.Result, Is.EqualTo(AlertResult.Opened));
        Assert.That(again.Incident!.Number, Is.EqualTo(first.Incident!.Number + 1));
        Assert.That((await ReceiveAsync(Group(a with { StartsAt = _h.Clock.GetUtcNow() }))).Incident!.Id, Is.EqualTo(again.Incident.Id), "and later ones add to the new one");
    }

    [Test]
    public async Task OnlyResolvedAlerts_ForAGroupWithoutAnOpenIncident_ChangeNothing()
    {
        var outcome = await ReceiveAsync(Group(Resolved(Firing("a"), _h.Clock.GetUtcNow())));

        Assert.That(outcome.Result, Is.EqualTo(AlertResult.NoOpenIncident));
        Assert.That(await _h.Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Is.Empty);
        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task TheSameGroupAtOnce_OnTwoReplicas_OpensOneIncident()
    {
        var replica = _h.NewService();
        var group = Group(Firing("a"), Firing("b"));

        var outcomes = await _h.WhileClockRunsAsync(Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _h.Service : replica).ReceiveAlertsAsync(group, Slack, CancellationToken.None)))));

        Assert.That(outcomes.Count(o => o.Result == AlertResult.Opened), Is.EqualTo(1));
        Assert.That(outcomes.Select(o => o.Incident!.Id).Distinct().Count(), Is.EqualTo(1), "every request names the one incident");
        Assert.That(await _h.Store.ListAsync(null, null, openOnly: false, CancellationToken.None), Has.Count.EqualTo(1));
        var timeline = await _h.Store.GetTimelineAsync(outcomes[0].Incident!.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Text.StartsWith("Firing", StringComparison.Ordinal)), Is.EqualTo(2), "each alert recorded once");
    }
}
