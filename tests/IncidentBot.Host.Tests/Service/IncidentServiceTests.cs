using IncidentBot.Core.Capture;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Roles;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Service;

public sealed class IncidentServiceTests
{
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    [Test]
    public async Task Declare_OpensConversationPinsHeaderAnnouncesAndRecords()
    {
        var incident = await _h.DeclareAsync("Paiement échoué 決済");
        await _h.DrainAsync();

        var delivered = _h.Platform.Delivered.OrderBy(d => d.Id).Select(d => d.Message).ToList();
        Assert.That(incident.Number, Is.EqualTo(1));
        Assert.That(delivered.Select(m => m.Operation), Is.EqualTo(new[] { ChatOperation.OpenIncidentConversation, ChatOperation.Post, ChatOperation.Post }));
        var open = delivered[0].Conversation!;
        Assert.That(open.Name, Does.StartWith("inc-1-paiement-echoue"));
        Assert.That(open.Invitees, Is.EqualTo(new[] { "U1", "U9" }), "declarer first, responders after, no duplicates");
        Assert.That(delivered[1].Anchor, Is.EqualTo(IncidentMessages.HeaderAnchor));
        Assert.That(delivered[1].Pin, Is.True);
        Assert.That(delivered[1].Message!.Buttons.Select(b => b.ActionId), Is.EqualTo(new[] { ActionIds.Acknowledge, ActionIds.Mitigate, ActionIds.Resolve, ActionIds.PostUpdate }));
        Assert.That(delivered[2].ConversationId, Is.EqualTo("CANNOUNCE"));
        Assert.That(delivered[2].Message!.LinksIncidentConversation, Is.True);

        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Single().Kind, Is.EqualTo(TimelineKind.Declared));
        Assert.That(await _h.ConversationOfAsync(incident), Is.Not.Null);
    }

    [Test]
    public async Task Acknowledge_InIncidentConversation_UpdatesHeaderAndTimeline()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(4));

        var reply = await _h.RunAsync(channel, new TransitionCommand(LifecycleAction.Acknowledge), ServiceHarness.Grace);
        await _h.DrainAsync();

        Assert.That(reply.Changed, Is.True);
        var stored = await _h.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(stored!.State, Is.EqualTo(IncidentState.Acknowledged));
        Assert.That(stored.TimeToAcknowledge, Is.EqualTo(TimeSpan.FromMinutes(4)));
        var update = _h.Platform.Delivered.Select(d => d.Message).Single(m => m.Operation == ChatOperation.Update);
        Assert.That(update.Anchor, Is.EqualTo(IncidentMessages.HeaderAnchor));
        Assert.That(update.Message!.Fields, Does.Contain(new MessageField("State", "Acknowledged")));
        Assert.That(update.Message.Buttons.Select(b => b.ActionId), Does.Not.Contain(ActionIds.Acknowledge));
        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Last().Kind, Is.EqualTo(TimelineKind.StateChanged));
        Assert.That(timeline.Last().Actor, Is.EqualTo(ServiceHarness.Grace));
    }

    [Test]
    public async Task Acknowledge_Twice_SecondIsPrivateRefusalAndChangesNothing()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        await _h.RunAsync(channel, new TransitionCommand(LifecycleAction.Acknowledge));
        var version = (await _h.Store.GetAsync(incident.Id, CancellationToken.None))!.Version;
        var pending = await _h.Store.CountPendingOutboxAsync(CancellationToken.None);

        var reply = await _h.RunAsync(channel, new TransitionCommand(LifecycleAction.Acknowledge));

        Assert.That(reply.Changed, Is.False);
        Assert.That(reply.Display, Is.EqualTo(ReplyDisplay.Private));
        Assert.That(reply.Text.PlainText, Does.Contain("already acknowledged"));
        Assert.That((await _h.Store.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(version));
        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(pending));
    }

    [Test]
    public async Task Acknowledge_RacingClicks_ProduceOneTransition()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        var second = _h.NewService();

        // Two services are two replicas: a version conflict between them waits out a jittered backoff on the fake clock.
        var replies = await _h.WhileClockRunsAsync(Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Task.Run(() =>
                (i % 2 == 0 ? _h.Service : second).ExecuteAsync(new TransitionCommand(LifecycleAction.Acknowledge), ServiceHarness.In(channel), incident.Id, CancellationToken.None)))));

        Assert.That(replies.Count(r => r.Changed), Is.EqualTo(1));
        Assert.That(replies.Where(r => !r.Changed).Select(r => r.Text.PlainText), Is.All.Contains("already acknowledged"));
        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Kind == TimelineKind.StateChanged), Is.EqualTo(1));
    }

    [Test]
    public async Task Resolve_FromDeclared_RecordsEverySkippedMilestoneAndOffersExport()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();

        await _h.RunAsync(channel, new TransitionCommand(LifecycleAction.Resolve));
        await _h.DrainAsync();

        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Count(e => e.Kind == TimelineKind.StateChanged), Is.EqualTo(3));
        var messages = _h.Platform.Delivered.Select(d => d.Message).ToList();
        Assert.That(messages.Any(m => m.Message?.Buttons.Any(b => b.ActionId == ActionIds.ExportPostmortem) == true && m.Operation == ChatOperation.Post), Is.True);
        Assert.That(messages.Any(m => m.ConversationId == "CANNOUNCE" && m.Message!.Text.PlainText.Contains("Resolved", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task StatusUpdate_PostsInChannelAndBroadcasts()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(10));

        await _h.RunAsync(channel, new StatusUpdateCommand("Rolled back the deploy; errors falling."));
        await _h.DrainAsync();

        var posts = _h.Platform.Delivered.Select(d => d.Message).Where(m => m.Message?.Text.PlainText == "Rolled back the deploy; errors falling.").ToList();
        Assert.That(posts.Select(p => p.ConversationId), Is.EquivalentTo(new string?[] { null, "CANNOUNCE" }));
        var stored = await _h.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(stored!.LastStatusUpdateAt, Is.EqualTo(_h.Clock.GetUtcNow()));
    }

    [Test]
    public async Task CommandsOutsideIncidentConversation_AnswerPrivatelyWithWhatToDo()
    {
        await _h.DeclareAsync();

        var reply = await _h.RunAsync("CRANDOM", new TransitionCommand(LifecycleAction.Acknowledge));

        Assert.That(reply.Changed, Is.False);
        Assert.That(reply.Text.PlainText, Does.Contain("inside an incident's conversation"));
    }

    [Test]
    public async Task LeadRoleSeverityNote_ChangeIncidentAndTimeline()
    {
        var (incident, channel) = await _h.DeclareOpenAsync(severity: Severity.Sev3);

        await _h.RunAsync(channel, new LeadCommand(ServiceHarness.Grace));
        await _h.RunAsync(channel, new RoleCommand("Scribe", new Person("U3", "Linus")));
        await _h.RunAsync(channel, new SeverityCommand(Severity.Sev1));
        await _h.RunAsync(channel, new NoteCommand("Customer tickets spiking"));

        var stored = await _h.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(stored!.Commander, Is.EqualTo(ServiceHarness.Grace));
        Assert.That(stored.Roles["scribe"], Is.EqualTo(new Person("U3", "Linus")));
        Assert.That(stored.Severity, Is.EqualTo(Severity.Sev1));
        var kinds = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Select(e => e.Kind);
        Assert.That(kinds, Is.EqualTo(new[] { TimelineKind.Declared, TimelineKind.RoleAssigned, TimelineKind.RoleAssigned, TimelineKind.SeverityChanged, TimelineKind.Note }));
    }

    [Test]
    public async Task RepeatedInboundEvent_IsHandledOnce()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();

        var first = await _h.RunAsync(channel, new NoteCommand("once"), eventId: "Ev42");
        var again = await _h.RunAsync(channel, new NoteCommand("once"), eventId: "Ev42");

        Assert.That(first.Changed, Is.True);
        Assert.That(again.Display, Is.EqualTo(ReplyDisplay.Nothing));
        Assert.That((await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Count(e => e.Kind == TimelineKind.Note), Is.EqualTo(1));
    }

    [Test]
    public async Task RecordChatEvent_SameMessageTwice_OneEntryWithOriginalTimeAndAuthor()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        var at = _h.Clock.GetUtcNow().AddMinutes(-3);
        var pinned = new CapturedChatEvent("slack", channel, TimelineKind.MessagePinned, ServiceHarness.Grace, "DB failover started", at, $"{channel}:1700.01");

        Assert.That(await _h.Service.RecordChatEventAsync(pinned, CancellationToken.None), Is.True);
        Assert.That(await _h.Service.RecordChatEventAsync(pinned with { Kind = TimelineKind.MessageReacted }, CancellationToken.None), Is.False);

        var entry = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.SourceRef is not null);
        Assert.That((entry.At, entry.Actor, entry.Text), Is.EqualTo((at, ServiceHarness.Grace, "DB failover started")));
    }

    [Test]
    public async Task List_ShowsOpenIncidentsOfTheWorkspace()
    {
        await _h.DeclareAsync("First");
        await _h.DeclareAsync("Second");

        var reply = await _h.RunAsync("CANY", new ListCommand());

        Assert.That(reply.Text.PlainText, Does.Contain("2 open incident(s)").And.Contain("INC-1").And.Contain("INC-2"));
    }

    [Test]
    public async Task Postmortem_EnqueuesMarkdownUpload()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();

        var reply = await _h.RunAsync(channel, new PostmortemCommand(null));
        await _h.DrainAsync();

        Assert.That(reply.Text.PlainText, Does.Contain("not resolved yet"));
        var upload = _h.Platform.Delivered.Select(d => d.Message).Single(m => m.Operation == ChatOperation.UploadFile);
        Assert.That(upload.File!.Name, Is.EqualTo("INC-1-postmortem.md"));
        Assert.That(upload.File.Content, Does.StartWith("# INC-1 postmortem: Checkout errors"));
    }

    [Test]
    public async Task Help_AndBareDeclare_AnswerWithoutChanges()
    {
        var help = await _h.RunAsync("C1", new HelpCommand("Unknown command `frobnicate`."));
        var form = await _h.RunAsync("C1", new DeclareCommand(null, null, null));

        Assert.That(help.Text.PlainText, Does.StartWith("Unknown command `frobnicate`."));
        Assert.That(form.Display, Is.EqualTo(ReplyDisplay.OpenForm));
        Assert.That(await _h.Store.ListAsync(null, null, false, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Status_ListsEntriesWithIds_CommanderRemovesOne_PostmortemLeavesItOut()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();
        await _h.RunAsync(channel, new NoteCommand("Password pasted by mistake: hunter2"));
        var note = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Kind == TimelineKind.Note);

        var status = await _h.RunAsync(channel, new StatusCommand());
        var notCommander = await _h.RunAsync(channel, new RemoveNoteCommand(note.Id), ServiceHarness.Grace);
        var removed = await _h.RunAsync(channel, new RemoveNoteCommand(note.Id));

        Assert.That(status.Text.Runs, Does.Contain(Run.Code($"#{note.Id}")));
        Assert.That(status.Text.PlainText, Does.Contain("note --remove"));
        Assert.That(notCommander.Changed, Is.False);
        Assert.That(notCommander.Text.PlainText, Does.Contain("Only the commander"));
        Assert.That(removed.Changed, Is.True);
        var stored = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Id == note.Id);
        Assert.That(stored.Redacted, Is.True, "kept in the store, marked");
        var draft = await _h.Service.ExportPostmortemAsync((await _h.Store.GetAsync(incident.Id, CancellationToken.None))!, null, CancellationToken.None);
        Assert.That(Core.Postmortems.PostmortemWriter.ToMarkdown(draft), Does.Not.Contain("hunter2"));
    }

    /// <summary>A burst on one incident in one process (a Socket Mode burst): each command waits its turn, none is told to try again.</summary>
    [Test]
    public async Task TwoHundredNotesAtOnce_OneIncident_AllSavedNoneRefused()
    {
        var (incident, channel) = await _h.DeclareOpenAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => _h.RunAsync(channel, new NoteCommand($"note {i:D3}")))));

        Assert.That(replies.Where(r => !r.Changed).Select(r => r.Text.PlainText), Is.Empty, "no one is told the incident is changing too fast");
        Assert.That(await _h.CountAsync(incident, TimelineKind.Note), Is.EqualTo(200));
    }
}
