using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Delivery;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.PlatformContract;

/// <summary>
/// The bot around one adapter, as the host wires it: the use cases on a real SQLite store write the outbox, the real
/// dispatcher delivers it through the adapter to its fake. Every attempt is recorded with its result.
/// </summary>
public sealed class ContractRig : IAsyncDisposable
{
    private readonly string _folder;
    private readonly SqliteIncidentStore _store;

    private ContractRig(string folder, FakeTimeProvider clock, SqliteIncidentStore store)
    {
        _folder = folder;
        Clock = clock;
        _store = store;
    }

    public FakeTimeProvider Clock { get; }

    public IIncidentStore Store => _store;

    public PlatformUnderTest Target { get; private set; } = null!;

    public IncidentService Service { get; private set; } = null!;

    public OutboxDispatcher Dispatcher { get; private set; } = null!;

    public RecordingPlatform Recorder { get; private set; } = null!;

    /// <summary>Declares and commands; the incidents' commander unless a step says otherwise.</summary>
    public required Person Ada { get; init; }

    /// <summary>A second responder: given roles and follow-ups, and the reader who is not the one asking.</summary>
    public required Person Grace { get; init; }

    public IReadOnlyList<Person> People => [Ada, Grace];

    /// <summary>Messages clicked on: the platform's id of each, and the outbox row that posted it.</summary>
    public Dictionary<string, long> Clicked { get; } = new(StringComparer.Ordinal);

    public string Platform => Target.Platform.Platform;

    public string Announcements => Target.Settings.AnnouncementConversationId!;

    /// <param name="parallel">Deliver as the host does, up to eight rows at once (the order kept per conversation only).</param>
    public static async Task<ContractRig> StartAsync(Person ada, Person grace, Func<IIncidentStore, TimeProvider, Task<PlatformUnderTest>> start, bool parallel = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "incidentbot-contract", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var clock = TestClock.Create();
        var store = new SqliteIncidentStore($"Data Source={Path.Combine(folder, "bot.db")}", clock);
        await store.MigrateAsync(CancellationToken.None);
        var rig = new ContractRig(folder, clock, store) { Ada = ada, Grace = grace };
        rig.Target = await start(store, clock);
        rig.Recorder = new RecordingPlatform(rig.Target.Platform, clock);
        rig.Service = new IncidentService(store, clock, ReminderPolicy.Default, [rig.Target.Settings]);

        // Unless asked otherwise, one delivery at a time, so which call of the platform a fault meets is the same on every
        // run. In-process retries are off: every retry goes through the store and its backoff, moved by the test's clock.
        rig.Dispatcher = new OutboxDispatcher(store, [rig.Recorder], clock, NullLogger<OutboxDispatcher>.Instance,
            new DispatcherSettings { InProcessRetries = 0, MaxParallel = parallel ? DispatcherSettings.DefaultMaxParallel : 1 });
        return rig;
    }

    public CommandContext In(string conversationId, Person? who = null) =>
        new(Platform, Target.Workspace, conversationId, who ?? Ada);

    /// <summary>Declares in the announcement conversation and delivers everything: the incident as stored, its conversation open.</summary>
    public async Task<Incident> DeclareAsync(string text = "declare Checkout errors sev2")
    {
        var reply = await Service.ExecuteAsync(CommandParser.Parse(text), In(Announcements), CancellationToken.None);
        Assert.That(reply.Incident, Is.Not.Null, reply.Text.PlainText);
        await SettleAsync();
        var incident = await IncidentAsync(reply.Incident!.Id);
        Assert.That(incident.ConversationId, Is.Not.Null, "the incident's conversation is open");
        return incident;
    }

    /// <summary>Runs a command in the incident's conversation, as a person there would, without delivering yet.</summary>
    public async Task<CommandReply> RunAsync(Command command, Incident incident, Person? who = null, string? clickedMessageId = null)
    {
        var context = In(incident.ConversationId!, who) with { SourceMessageId = clickedMessageId };
        return await Service.ExecuteAsync(command, context, incident.Id, CancellationToken.None);
    }

    /// <summary>
    /// The platform's id of the latest message <paramref name="posted"/> picks, as a click on one of its buttons would
    /// name it, read from what the platform shows.
    /// </summary>
    public async Task<string> ClickAsync(Incident incident, Func<ChatMessage, bool> posted)
    {
        var row = Recorder.Delivered.Last(i => i.Message.Operation == ChatOperation.Post && i.Message.Message is { } m && posted(m));
        var conversation = row.Message.ConversationId ?? incident.ConversationId!;
        var seen = (await Target.SeenAsync(conversation, Ada)).LastOrDefault(s => Showing.Mismatch(s, row.Message.Message!, People, incident.ConversationId) is null);
        Assert.That(seen, Is.Not.Null, $"the message to click is shown in {conversation}");
        Clicked[seen!.Id] = row.Id;
        return seen.Id;
    }

    public async Task<Incident> IncidentAsync(long id) => (await Store.GetAsync(id, CancellationToken.None))!;

    /// <summary>One delivery straight to the adapter, as the dispatcher makes it, for a row the outbox would not hand out.</summary>
    public Task<DeliveryResult> DeliverOutsideTheOutboxAsync(OutboxItem item) =>
        Target.Platform.DeliverAsync(item, new DeliveryContext(Store), CancellationToken.None);

    /// <summary>Delivers what is due now, batch after batch, until nothing is left to claim.</summary>
    public async Task DrainAsync()
    {
        while (await Dispatcher.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    /// <summary>Delivers everything, moving the clock a second at a time through the backoffs of failed attempts.</summary>
    public async Task SettleAsync()
    {
        for (var second = 0; second < 120; second++)
        {
            await DrainAsync();
            if (await Store.CountPendingOutboxAsync(CancellationToken.None) == 0)
            {
                return;
            }

            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Fail($"still {await Store.CountPendingOutboxAsync(CancellationToken.None)} outbox rows pending after two minutes: {Recorder.Describe()}");
    }

    public async ValueTask DisposeAsync()
    {
        await Target.DisposeAsync();
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pool: the temporary folder is cleaned up with the machine's.
        }
    }
}
