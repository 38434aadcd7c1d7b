using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Sandbox;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Host.Tests.Sandbox;

/// <summary>
/// The sandbox adapter behind the real dispatcher on a real SQLite store: Core's messages become conversations and
/// messages of the store, delivered in order, updated in place. What every platform owes (every kind rendered, private
/// answers, files, retries of a busy store) is <see cref="SandboxChatPlatformContractTests"/>.
/// </summary>
public sealed class SandboxChatPlatformTests
{
    private static readonly Person Ada = new("u-ada", "Ada");
    private static readonly CancellationToken None = CancellationToken.None;

    private string _folder = null!;
    private FakeTimeProvider _clock = null!;
    private SqliteIncidentStore _store = null!;
    private SandboxFeed _feed = null!;
    private IncidentService _service = null!;
    private OutboxDispatcher _dispatcher = null!;

    [SetUp]
    public async Task SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        _clock = TestClock.Create();
        _store = new SqliteIncidentStore($"Data Source={Path.Combine(_folder, "bot.db")}", _clock);
        await _store.MigrateAsync(None);
        _feed = new SandboxFeed();
        _service = new IncidentService(_store, _clock, ReminderPolicy.Default, [new PlatformSettings(SandboxPlatformName.Value, SandboxPlatformName.AnnouncementConversation, [])]);
        _dispatcher = new OutboxDispatcher(_store, [new SandboxChatPlatform(_store, _feed, _clock)], _clock, NullLogger<OutboxDispatcher>.Instance, new DispatcherSettings { InProcessRetries = 0 });
    }

    [TearDown]
    public void TearDown()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static CommandContext In(string conversation) => new(SandboxPlatformName.Value, SandboxPlatformName.Workspace, conversation, Ada);

    private async Task DrainAsync()
    {
        while (await _dispatcher.RunOnceAsync(None) > 0)
        {
        }
    }

    private async Task<Incident> DeclareAsync(string text = "declare Checkout errors sev2")
    {
        var reply = await _service.ExecuteAsync(CommandParser.Parse(text), In(SandboxPlatformName.AnnouncementConversation), None);
        Assert.That(reply.Incident, Is.Not.Null, reply.Text.PlainText);
        await DrainAsync();
        return (await _store.GetAsync(reply.Incident!.Id, None))!;
    }

    private Task<IReadOnlyList<SandboxMessage>> MessagesAsync(string conversation, string? viewer = null) =>
        _store.ListSandboxMessagesAsync(conversation, 0, viewer, 500, None);

    [Test]
    public async Task Declare_OpensAConversationPerIncident_AnnouncesWithALink_AndPostsTheHeader()
    {
        var incident = await DeclareAsync();

        Assert.That(incident.ConversationId, Is.EqualTo("inc-1-checkout-errors"), "named as Slack names channels");
        var conversations = await _store.ListSandboxConversationsAsync(None);
        Assert.That(conversations.Select(c => c.Id), Is.EquivalentTo(new[] { "inc-1-checkout-errors", SandboxPlatformName.AnnouncementConversation }));
        Assert.That(conversations.Single(c => c.Id == incident.ConversationId).Topic, Does.Contain("Sev2"));

        var header = (await MessagesAsync(incident.ConversationId!)).First();
        Assert.That(header.Message.Title!.PlainText, Is.EqualTo("INC-1: Checkout errors"));
        Assert.That(header.Message.Buttons.Select(b => b.ActionId), Does.Contain(ActionIds.Acknowledge));
        Assert.That(await _store.GetAnchorAsync(incident.Id, IncidentMessages.HeaderAnchor, None), Is.EqualTo(header.MessageRef));

        var announcement = (await MessagesAsync(SandboxPlatformName.AnnouncementConversation)).Single();
        Assert.That(announcement.Message.Text.Runs.OfType<LinkRun>().Single().Url, Is.AnyOf("/sandbox/c/inc-1-checkout-errors", $"/sandbox/incidents/{incident.Id}"),
            "the link resolved at delivery: to the conversation, or through the incident while the conversation is being opened");
        Assert.That(announcement.Message.LinksIncidentConversation, Is.False);
    }

    [Test]
    public async Task Acknowledge_UpdatesTheHeaderInPlace_AndDeliversInOrder()
    {
        var incident = await DeclareAsync();
        var before = await MessagesAsync(incident.ConversationId!);

        await _service.ExecuteAsync(ActionIds.CommandFor(ActionIds.Acknowledge)!, In(incident.ConversationId!), incident.Id, None);
        await _service.ExecuteAsync(CommandParser.Parse("update Rolled back the deploy"), In(incident.ConversationId!), None);
        await DrainAsync();

        var after = await MessagesAsync(incident.ConversationId!);
        var header = after.Single(m => m.MessageRef == before[0].MessageRef);
        Assert.That(header.Message.Fields.Single(f => f.Label == "State").Value, Is.EqualTo("Acknowledged"));
        Assert.That(header.EditedAt, Is.Not.Null);
        Assert.That(after.Count(m => m.Message.Title?.PlainText == "INC-1: Checkout errors"), Is.EqualTo(1), "updated, not posted again");
        var update = after.Single(m => m.Message.Text.PlainText.Contains("Rolled back the deploy", StringComparison.Ordinal));
        Assert.That(update.Sequence, Is.GreaterThan(before.Max(m => m.Sequence)));
        Assert.That((await _store.ListSandboxConversationsAsync(None)).Single(c => c.Id == incident.ConversationId).Topic, Does.Contain("Acknowledged"));
    }

    [Test]
    public async Task Reminder_MentionsTheCommander_ByNameAtTheStartOfItsText()
    {
        var incident = await DeclareAsync();
        _clock.Advance(ReminderPolicy.DefaultSev2 + TimeSpan.FromMinutes(1));

        Assert.That(await _service.SendReminderAsync(incident.Id, null, None), Is.True);
        await DrainAsync();

        var reminder = (await MessagesAsync(incident.ConversationId!)).Last().Message;
        Assert.That(reminder.Text.Runs[0], Is.EqualTo(Run.Mention(Ada)), "the page shows @Ada, as Slack and Teams mention her");
        Assert.That(reminder.Text.PlainText, Does.StartWith("Ada Ada, no status update on INC-1"));
        Assert.That(reminder.Mentions, Is.Empty, "resolved at delivery, like the link");
    }

    [Test]
    public async Task Open_TakesTheNextNameWhenTaken_AndARetryKeepsTheConversation()
    {
        await _store.CreateSandboxConversationAsync(new SandboxConversation("inc-1-checkout-errors", "inc-1-checkout-errors", "someone else's", _clock.GetUtcNow()), None);

        var incident = await DeclareAsync();

        Assert.That(incident.ConversationId, Is.EqualTo("inc-1-checkout-errors-2"));
        var platform = new SandboxChatPlatform(_store, _feed, _clock);
        var open = new OutboxItem(0, new OutgoingMessage
        {
            Platform = SandboxPlatformName.Value,
            IncidentId = incident.Id,
            Operation = ChatOperation.OpenIncidentConversation,
            Conversation = new ConversationSpec("inc-1-checkout-errors", "topic", "purpose", []),
        }, 1, _clock.GetUtcNow());
        Assert.That(await platform.DeliverAsync(open, new DeliveryContext(_store), None), Is.EqualTo(DeliveryResult.Ok));
        Assert.That((await _store.ListSandboxConversationsAsync(None)).Count, Is.EqualTo(3), "a repeat creates no second conversation");
    }

    [Test]
    public async Task Archive_DeliversNothing_TheConversationStays()
    {
        var incident = await DeclareAsync();
        var before = await MessagesAsync(incident.ConversationId!);
        var platform = new SandboxChatPlatform(_store, _feed, _clock);
        var archive = new OutboxItem(0, Outgoing.ToIncident(incident, ChatOperation.ArchiveConversation), 0, _clock.GetUtcNow());

        Assert.That(await platform.DeliverAsync(archive, new DeliveryContext(_store), None), Is.EqualTo(DeliveryResult.Ok));

        Assert.That((await _store.ListSandboxConversationsAsync(None)).Select(c => c.Id), Does.Contain(incident.ConversationId));
        Assert.That(await MessagesAsync(incident.ConversationId!), Has.Count.EqualTo(before.Count));
    }

    [Test]
    public async Task Update_WithoutItsMessage_IsAPermanentFailure_AndAWriteWakesThePage()
    {
        var platform = new SandboxChatPlatform(_store, _feed, _clock);
        var woken = _feed.NextWrite;
        var update = new OutboxItem(0, new OutgoingMessage
        {
            Platform = SandboxPlatformName.Value,
            Operation = ChatOperation.Update,
            ConversationId = "c1",
            MessageId = "m404",
            Message = new ChatMessage { Text = "x" },
        }, 1, _clock.GetUtcNow());
        var post = update with { Message = update.Message with { Operation = ChatOperation.Post, MessageId = null } };

        Assert.That(await platform.DeliverAsync(update, new DeliveryContext(_store), None), Is.InstanceOf<PermanentFailure>());
        Assert.That(woken.IsCompleted, Is.False);
        Assert.That(await platform.DeliverAsync(post, new DeliveryContext(_store), None), Is.EqualTo(DeliveryResult.Ok));
        Assert.That(woken.IsCompleted, Is.True);
    }
}
