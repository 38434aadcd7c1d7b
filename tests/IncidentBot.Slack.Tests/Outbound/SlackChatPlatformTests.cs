using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.WebApi;
using IncidentBot.Testing;
using IncidentBot.Testing.Slack;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>Delivery against the fake Slack: idempotent open, anchors, and how failures are classified.</summary>
public sealed class SlackChatPlatformTests
{
    private const string Token = "xoxb-test-token";
    private FakeSlackServer _slack = null!;
    private HttpClient _http = null!;
    private SlackChatPlatform _platform = null!;
    private MemoryContext _context = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _slack = new FakeSlackServer(Token);
        await _slack.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        _platform = new SlackChatPlatform(new SlackApiClient(_http, Options.Create(new SlackOptions { BotToken = Token }), TestClock.Create()));
        _context = new MemoryContext();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    private static OutboxItem Item(OutgoingMessage message) => new(1, message with { IncidentId = 7 }, 0, DateTimeOffset.UnixEpoch);

    private static OutgoingMessage Open(string name) => new()
    {
        Platform = "slack",
        Operation = ChatOperation.OpenIncidentConversation,
        Conversation = new ConversationSpec(name, "topic", "purpose", ["U1", "U9"]),
    };

    private static OutgoingMessage Post(string? conversation = null) => new()
    {
        Platform = "slack",
        Operation = ChatOperation.Post,
        ConversationId = conversation,
        Message = new ChatMessage { Text = "hello" },
    };

    [Test]
    public async Task Open_NameTaken_UsesSuffix()
    {
        _slack.FailNext("conversations.create", 1, new FakeFault.SlackError("name_taken"));

        Assert.That(await _platform.DeliverAsync(Item(Open("inc-7-db")), _context, CancellationToken.None), Is.TypeOf<Delivered>());

        Assert.That(_slack.CallsTo("conversations.create").Select(c => c.Arg("name")), Is.EqualTo(new[] { "inc-7-db", "inc-7-db-2" }));
        Assert.That(_context.Incident.ConversationId, Is.EqualTo(_slack.Channels["inc-7-db-2"]));
    }

    [Test]
    public async Task Archive_ArchivesTheIncidentChannel_AndAnArchivedChannelIsDone()
    {
        Assert.That(await _platform.DeliverAsync(Item(Open("inc-7-db")), _context, CancellationToken.None), Is.TypeOf<Delivered>());
        var archive = new OutgoingMessage { Platform = "slack", Operation = ChatOperation.ArchiveConversation };

        Assert.That(await _platform.DeliverAsync(Item(archive), _context, CancellationToken.None), Is.TypeOf<Delivered>());
        Assert.That(_slack.IsArchived(_context.Incident.ConversationId!), Is.True);
        Assert.That(_slack.CallsTo("conversations.archive").Single().Arg("channel"), Is.EqualTo(_context.Incident.ConversationId));

        // A retry after Slack archived it (or someone archived it by hand): already_archived is the state wanted.
        Assert.That(await _platform.DeliverAsync(Item(archive), _context, CancellationToken.None), Is.TypeOf<Delivered>());
        Assert.That(_slack.CallsTo("conversations.archive"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Open_RetryAfterPartialSuccess_DoesNotCreateASecondChannel()
    {
        _slack.FailNext("conversations.setTopic", 1, new FakeFault.ServerError());
        Assert.That(await _platform.DeliverAsync(Item(Open("inc-7-db")), _context, CancellationToken.None), Is.TypeOf<TransientFailure>());

        Assert.That(await _platform.DeliverAsync(Item(Open("inc-7-db")), _context, CancellationToken.None), Is.TypeOf<Delivered>());

        Assert.That(_slack.CallsTo("conversations.create"), Has.Count.EqualTo(1));
        Assert.That(_slack.MembersOf(_context.Incident.ConversationId!), Is.EquivalentTo(new[] { "U1", "U9" }));
    }

    [Test]
    public async Task PostWithAnchorAndPin_ThenUpdate_EditsThatMessage()
    {
        _context.Incident = _context.Incident with { ConversationId = "C5" };

        await _platform.DeliverAsync(Item(Post() with { Anchor = "header", Pin = true }), _context, CancellationToken.None);
        var ts = _context.Anchors["header"];
        await _platform.DeliverAsync(Item(new OutgoingMessage { Platform = "slack", Operation = ChatOperation.Update, Anchor = "header", Message = new ChatMessage { Text = "edited" } }), _context, CancellationToken.None);

        Assert.That(_slack.IsPinned("C5", ts), Is.True);
        Assert.That(_slack.Messages.Single().Text, Is.EqualTo("edited"));
    }

    [Test]
    public async Task Update_OfTheMessageClicked_EditsItByItsTs()
    {
        _context.Incident = _context.Incident with { ConversationId = "C5" };
        var reminder = _slack.SeedMessage("C5", "no status update for 31m", "B1");
        var clicked = new OutgoingMessage { Platform = "slack", Operation = ChatOperation.Update, ConversationId = "C5", MessageId = reminder, Message = new ChatMessage { Text = "Ada snoozed" } };

        Assert.That(await _platform.DeliverAsync(Item(clicked), _context, CancellationToken.None), Is.TypeOf<Delivered>());

        Assert.That(_slack.CallsTo("chat.update").Single().Arg("ts"), Is.EqualTo(reminder));
        Assert.That(_slack.Messages.Single().Text, Is.EqualTo("Ada snoozed"));
    }

    [TestCase("ratelimited")]
    [TestCase("server_error")]
    public async Task PostHeader_PinFailsTransiently_RetryPinsWithoutASecondHeader(string fault)
    {
        _context.Incident = _context.Incident with { ConversationId = "C5" };
        _slack.FailNext("pins.add", 1, fault == "ratelimited" ? new FakeFault.RateLimited(1) : new FakeFault.ServerError());
        var header = Item(Post() with { Anchor = "header", Pin = true });

        Assert.That(await _platform.DeliverAsync(header, _context, CancellationToken.None), Is.TypeOf<TransientFailure>());
        Assert.That(await _platform.DeliverAsync(header, _context, CancellationToken.None), Is.TypeOf<Delivered>());

        Assert.That(_slack.CallsTo("chat.postMessage"), Has.Count.EqualTo(1), "the retry only pins");
        Assert.That(_slack.Messages, Has.Count.EqualTo(1));
        Assert.That(_slack.IsPinned("C5", _context.Anchors["header"]), Is.True);
    }

    [Test]
    public async Task Open_OneResponderSlackDoesNotKnow_ChannelOpenedOthersInvitedTopicAndPurposeSet()
    {
        _slack.ForgetUser("U9");

        Assert.That(await _platform.DeliverAsync(Item(Open("inc-7-db")), _context, CancellationToken.None), Is.TypeOf<Delivered>());

        var channel = _context.Incident.ConversationId!;
        Assert.That(_slack.CallsTo("conversations.invite").Single().Arg("force"), Is.EqualTo("true"));
        Assert.That(_slack.MembersOf(channel), Is.EquivalentTo(new[] { "U1" }));
        Assert.That(_slack.TopicOf(channel), Is.EqualTo("topic"));
        Assert.That(_slack.PurposeOf(channel), Is.EqualTo("purpose"));
    }

    [Test]
    public async Task Post_SlackHangsPastTheRequestTimeout_TransientWithoutWaitingForIt()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_slack.BaseUrl) };
        var options = new SlackOptions { BotToken = Token, RequestTimeout = TimeSpan.FromMilliseconds(300) };
        var clock = TestClock.Create();
        var platform = new SlackChatPlatform(new SlackApiClient(http, Options.Create(options), clock));
        _slack.FailNext("chat.postMessage", 1, new FakeFault.Slow(TimeSpan.FromSeconds(10)));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var delivery = platform.DeliverAsync(Item(Post("C1")), _context, CancellationToken.None);
        Assert.That(await Poll.UntilAsync(() => _slack.FaultsLeft("chat.postMessage") == 0), Is.True, "the call reached Slack, which hangs");
        clock.Advance(options.RequestTimeout);
        var result = await delivery;

        Assert.That(result, Is.TypeOf<TransientFailure>());
        Assert.That(((TransientFailure)result).Error, Does.Contain("chat.postMessage").And.Contain("timed out"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "one hung call does not hold the delivery");
    }

    [Test]
    public async Task Post_IncidentChannelNotYetCreated_Transient() =>
        Assert.That(await _platform.DeliverAsync(Item(Post()), _context, CancellationToken.None), Is.TypeOf<TransientFailure>());

    [Test]
    public async Task Failures_AreClassified()
    {
        _slack.FailNext("chat.postMessage", 1, new FakeFault.SlackError("channel_not_found"));
        _slack.FailNext("chat.postMessage", 1, new FakeFault.ServerError());
        _slack.FailNext("chat.postMessage", 1, new FakeFault.RateLimited(30));
        _slack.FailNext("chat.postMessage", 1, new FakeFault.SlackError("internal_error"));

        var results = new List<DeliveryResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await _platform.DeliverAsync(Item(Post("C1")), _context, CancellationToken.None));
        }

        Assert.That(results[0], Is.EqualTo(new PermanentFailure("chat.postMessage: channel_not_found")));
        Assert.That(results[1], Is.TypeOf<TransientFailure>());
        Assert.That(((TransientFailure)results[2]).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(results[3], Is.TypeOf<TransientFailure>());
    }

    [Test]
    public async Task Upload_V2Flow_ExactBytesCompletedIntoChannel()
    {
        _context.Incident = _context.Incident with { ConversationId = "C5" };
        var content = "# INC-7 postmortem\n| a \\| b |\nünïcödé";

        var result = await _platform.DeliverAsync(Item(new OutgoingMessage { Platform = "slack", Operation = ChatOperation.UploadFile, File = new ChatFile("INC-7-postmortem.md", "INC-7", content) }), _context, CancellationToken.None);

        Assert.That(result, Is.TypeOf<Delivered>());
        var fileId = _slack.CallsTo("files.getUploadURLExternal").Single();
        var complete = _slack.CallsTo("files.completeUploadExternal").Single();
        var id = System.Text.Json.JsonDocument.Parse(complete.Arg("files")).RootElement[0].GetProperty("id").GetString()!;
        Assert.That(_slack.File(id).Bytes, Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(content)));
        Assert.That(fileId.Arg("length"), Is.EqualTo(System.Text.Encoding.UTF8.GetByteCount(content).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(complete.Arg("channel_id"), Is.EqualTo("C5"));
    }

    /// <summary>Our own port, in memory.</summary>
    private sealed class MemoryContext : IDeliveryContext
    {
        public Incident Incident { get; set; } = new()
        {
            Id = 7, Platform = "slack", WorkspaceId = "T1", Title = "x", Commander = new Person("U1", "Ada"), DeclaredBy = new Person("U1", "Ada"),
        };

        public Dictionary<string, string> Anchors { get; } = [];

        public Task<Incident?> GetIncidentAsync(long incidentId, CancellationToken cancellationToken) => Task.FromResult<Incident?>(Incident);

        public Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken)
        {
            Incident = Incident with { ConversationId = conversationId };
            return Task.CompletedTask;
        }

        public Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken) => Task.FromResult(Anchors.GetValueOrDefault(anchor));

        public Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken)
        {
            Anchors[anchor] = messageRef;
            return Task.CompletedTask;
        }

        // Slack reaches a person by user id: it never looks up a 1:1 conversation.
        public Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Slack delivers direct messages to the user id.");

        public Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Slack delivers direct messages to the user id.");
    }
}
