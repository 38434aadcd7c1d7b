using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;
using IncidentBot.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>
/// What every store must do, written once: SQLite runs it now, PostgreSQL runs the same suite.
/// Subclasses create a fresh, migrated store per test.
/// </summary>
public abstract partial class IncidentStoreContract
{
    protected static readonly Person Ada = new("U1", "Ada");

    protected FakeTimeProvider Clock { get; } = TestClock.Create();

    protected IIncidentStore Store { get; private set; } = null!;

    private readonly List<IIncidentStore> _secondStores = [];

    protected abstract Task<IIncidentStore> CreateStoreAsync();

    /// <summary>Another store on the same database, as a second replica (or a second store in one process) sees it.</summary>
    protected abstract IIncidentStore CreateSecondStore();

    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    [SetUp]
    public async Task SetUpStoreAsync() => Store = await CreateStoreAsync();

    [TearDown]
    public async Task TeardownAsync()
    {
        foreach (var store in _secondStores)
        {
            await StoreProviders.DisposeAsync(store);
        }

        _secondStores.Clear();
        await DisposeStoreAsync();
    }

    /// <summary>A second store on this test's database, disposed with the test.</summary>
    protected IIncidentStore SecondStore()
    {
        var store = CreateSecondStore();
        _secondStores.Add(store);
        return store;
    }

    protected Incident Draft(string workspace = "T1") => NewDraft(Clock.GetUtcNow(), workspace);

    /// <summary>A version-1 draft declared by Ada at <paramref name="now"/>; the LiteDB store's own tests use it too.</summary>
    internal static Incident NewDraft(DateTimeOffset now, string workspace = "T1") => new()
    {
        Platform = "slack",
        WorkspaceId = workspace,
        Title = "Checkout errors",
        Commander = Ada,
        DeclaredBy = Ada,
        DeclaredAt = now,
        LastStatusUpdateAt = now,
        Version = 1,
    };

    protected static OutgoingMessage Post(string text, string? conversation = null) => new()
    {
        Platform = "slack",
        Operation = ChatOperation.Post,
        ConversationId = conversation,
        Message = new ChatMessage { Text = text },
    };

    protected TimelineEntry Entry(string text, string? source = null) => new()
    {
        At = Clock.GetUtcNow(),
        Kind = TimelineKind.Note,
        Actor = Ada,
        Text = text,
        SourceRef = source,
    };

    protected async Task<Incident> CreateAsync(string workspace = "T1", params OutgoingMessage[] messages)
    {
        var (result, incident) = await Store.CreateAsync(Draft(workspace), i => new IncidentChange { Incident = i, Messages = messages, Entries = [Entry("declared")] }, null, CancellationToken.None);
        Assert.That(result, Is.EqualTo(SaveResult.Saved));
        return incident!;
    }

    [Test]
    public async Task Create_FailureInsideTransaction_LeavesNothingVisible()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateAsync(Draft(), _ => throw new InvalidOperationException("boom"), "evt-1", CancellationToken.None));

        Assert.That(await Store.ListAsync(null, null, false, CancellationToken.None), Is.Empty);
        Assert.That(await Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
        Assert.That(await Store.TryRecordInboundAsync("evt-1", CancellationToken.None), Is.True, "the event id must not be recorded either");
        var next = await CreateAsync();
        Assert.That(next.Number, Is.EqualTo(1), "the failed declaration must not use up a number");
    }

    [Test]
    public async Task Save_FailureInsideTransaction_LeavesNothingVisible()
    {
        var incident = await CreateAsync();
        var bad = new IncidentChange
        {
            Incident = incident with { Version = 2, Title = "changed" },
            Entries = [Entry("ok"), Entry("x") with { Text = null! }],
            Messages = [Post("never")],
        };

        Assert.That(async () => await Store.SaveAsync(bad, CancellationToken.None), Throws.Exception);

        var read = await Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(read!.Title, Is.EqualTo("Checkout errors"));
        Assert.That(read.Version, Is.EqualTo(1));
        Assert.That(await Store.GetTimelineAsync(incident.Id, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Create_FiftyConcurrentDeclares_NumbersAreOneToFifty()
    {
        var tasks = Enumerable.Range(0, 50).Select(_ => Task.Run(() => CreateAsync())).ToArray();
        var incidents = await Task.WhenAll(tasks);

        Assert.That(incidents.Select(i => i.Number).Order(), Is.EqualTo(Enumerable.Range(1, 50)));
    }

    [Test]
    public async Task Create_NumbersArePerWorkspace()
    {
        await CreateAsync("T1");
        await CreateAsync("T1");
        var other = await CreateAsync("T2");

        Assert.That(other.Number, Is.EqualTo(1));
    }

    [Test]
    public async Task Save_TwoWritersOnSameVersion_OneWinsOtherConflicts()
    {
        var incident = await CreateAsync();
        var first = new IncidentChange { Incident = incident with { Version = 2, State = IncidentState.Acknowledged }, Entries = [Entry("ack 1")], Messages = [Post("1")] };
        var second = new IncidentChange { Incident = incident with { Version = 2, State = IncidentState.Mitigated }, Entries = [Entry("mitigate 2")], Messages = [Post("2")] };

        var results = await Task.WhenAll(Task.Run(() => Store.SaveAsync(first, CancellationToken.None)), Task.Run(() => Store.SaveAsync(second, CancellationToken.None)));

        Assert.That(results, Is.EquivalentTo(new[] { SaveResult.Saved, SaveResult.Conflict }));
        var timeline = await Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline, Has.Count.EqualTo(2), "the loser wrote no timeline entry");
        Assert.That(await Store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(1), "the loser wrote no message");
    }

    [Test]
    public async Task Save_RepeatedInboundEvent_IsDuplicateAndWritesNothing()
    {
        var incident = await CreateAsync();
        var change = new IncidentChange { Incident = incident with { Version = 2 }, Entries = [Entry("note")], InboundEventId = "Ev1" };

        Assert.That(await Store.SaveAsync(change, CancellationToken.None), Is.EqualTo(SaveResult.Saved));
        Assert.That(await Store.SaveAsync(change with { Incident = incident with { Version = 3 } }, CancellationToken.None), Is.EqualTo(SaveResult.Duplicate));

        Assert.That(await Store.GetTimelineAsync(incident.Id, CancellationToken.None), Has.Count.EqualTo(2));
        Assert.That((await Store.GetAsync(incident.Id, CancellationToken.None))!.Version, Is.EqualTo(2));
        Assert.That(await Store.TryRecordInboundAsync("Ev1", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Outbox_PerConversation_LeavesInOrderOneAtATime()
    {
        var incident = await CreateAsync("T1", Post("a1", "CA"), Post("b1", "CB"), Post("a2", "CA"), Post("a3", "CA"));
        var lease = TimeSpan.FromMinutes(1);

        var first = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None);
        Assert.That(first.Select(i => i.Message.Message!.Text.PlainText), Is.EqualTo(new[] { "a1", "b1" }));
        Assert.That(first.All(i => i.Message.IncidentId == incident.Id), Is.True);
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Is.Empty, "a2 waits for a1");

        await Store.MarkFailedAsync(first[0].Id, "ratelimited", Clock.GetUtcNow().AddSeconds(30), CancellationToken.None);
        await Store.MarkSentAsync(first[1].Id, Clock.GetUtcNow(), CancellationToken.None);
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Is.Empty, "a1 is not due yet and a2 still waits");

        Clock.Advance(TimeSpan.FromSeconds(31));
        var retry = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None);
        Assert.That(retry.Select(i => (i.Message.Message!.Text.PlainText, i.Attempts)), Is.EqualTo(new[] { ("a1", 1) }));
        await Store.MarkSentAsync(retry[0].Id, Clock.GetUtcNow(), CancellationToken.None);

        var next = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None);
        Assert.That(next.Select(i => i.Message.Message!.Text.PlainText), Is.EqualTo(new[] { "a2" }));
    }

    [Test]
    public async Task Enqueue_StandaloneMessages_AreDeliverableOncePerInboundEvent()
    {
        var messages = new[] { Post("welcome", "a:chat1"), Post("help", "a:chat1") };

        Assert.That(await Store.EnqueueAsync(messages, "activity-1", CancellationToken.None), Is.EqualTo(SaveResult.Saved));
        Assert.That(await Store.EnqueueAsync(messages, "activity-1", CancellationToken.None), Is.EqualTo(SaveResult.Duplicate));

        Assert.That(await Store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(2));
        var claimed = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(claimed.Select(i => (i.Message.Message!.Text.PlainText, i.Message.IncidentId)), Is.EqualTo(new[] { ("welcome", (long?)null) }), "one conversation: in order, one at a time");
    }

    [Test]
    public async Task Outbox_PermanentFailure_IsGivenUpAndUnblocksTheRest()
    {
        await CreateAsync("T1", Post("doomed", "CA"), Post("after", "CA"));
        var first = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None);

        await Store.MarkFailedAsync(first[0].Id, "channel_not_found", null, CancellationToken.None);

        var next = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(next.Select(i => i.Message.Message!.Text.PlainText), Is.EqualTo(new[] { "after" }));
        Assert.That(await Store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task AppendEntry_SameSourceTwice_OneEntry()
    {
        var incident = await CreateAsync();
        var pinned = Entry("pinned text", "C1:1700000000.000100") with { IncidentId = incident.Id, Kind = TimelineKind.MessagePinned };

        Assert.That(await Store.AppendEntryAsync(pinned, CancellationToken.None), Is.True);
        Assert.That(await Store.AppendEntryAsync(pinned, CancellationToken.None), Is.False);

        Assert.That((await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Count(e => e.Kind == TimelineKind.MessagePinned), Is.EqualTo(1));
    }

    [Test]
    public async Task Redact_MarksEntryAndKeepsIt()
    {
        var incident = await CreateAsync();
        var entryId = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None))[0].Id;

        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, RedactEntryIds = [entryId], KeepsReminder = true }, CancellationToken.None);

        var entry = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Id == entryId);
        Assert.That(entry.Redacted, Is.True);
        Assert.That(entry.Text, Is.EqualTo("declared"));
    }

    [Test]
    public async Task Conversation_AndAnchors_AreRemembered()
    {
        var incident = await CreateAsync();

        await Store.SetConversationAsync(incident.Id, "C777", null, CancellationToken.None);
        await Store.SetAnchorAsync(incident.Id, "header", "1700000000.000200", CancellationToken.None);

        Assert.That((await Store.FindByConversationAsync("slack", "C777", CancellationToken.None))!.Id, Is.EqualTo(incident.Id));
        Assert.That(await Store.GetAnchorAsync(incident.Id, "header", CancellationToken.None), Is.EqualTo("1700000000.000200"));
        Assert.That(await Store.GetAnchorAsync(incident.Id, "other", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task List_OpenOnly_ExcludesResolved()
    {
        var open = await CreateAsync();
        var resolved = await CreateAsync();
        await Store.SaveAsync(new IncidentChange { Incident = resolved with { Version = 2, State = IncidentState.Resolved } }, CancellationToken.None);

        var list = await Store.ListAsync("slack", "T1", openOnly: true, CancellationToken.None);

        Assert.That(list.Select(i => i.Id), Is.EqualTo(new[] { open.Id }));
    }
}
