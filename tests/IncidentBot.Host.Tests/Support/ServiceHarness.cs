using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Reminders;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Host.Tests.Support;

/// <summary>The use cases wired to a real SQLite file, a fake clock (FakeTimeProvider) and a recording platform.</summary>
public sealed class ServiceHarness : IAsyncDisposable
{
    public static readonly Person Ada = new("U1", "Ada");
    public static readonly Person Grace = new("U2", "Grace");

    private ServiceHarness(string folder, SqliteIncidentStore store, FakeTimeProvider clock)
    {
        Folder = folder;
        Store = store;
        Clock = clock;
        Platform = new RecordingPlatform();
        Service = NewService();
        Dispatcher = new OutboxDispatcher(Store, [Platform], Clock, NullLogger<OutboxDispatcher>.Instance, new DispatcherSettings { InProcessRetries = 0 });
        Scheduler = new ReminderScheduler(Store, Service, Clock, NullLogger<ReminderScheduler>.Instance);
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "bot.db");

    public SqliteIncidentStore Store { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>
    /// Awaits <paramref name="work"/> while moving the fake clock on, so the jittered waits between conflicting
    /// attempts (on the injected clock) end: the clock moves only while the work is still waiting.
    /// </summary>
    public async Task<T> WhileClockRunsAsync<T>(Task<T> work)
    {
        await WhileClockRunsAsync((Task)work);
        return await work;
    }

    /// <inheritdoc cref="WhileClockRunsAsync{T}(Task{T})"/>
    public async Task WhileClockRunsAsync(Task work)
    {
        while (!work.IsCompleted)
        {
            Clock.Advance(Core.Pipeline.ConflictBackoff.MaxDelay);
            await Task.WhenAny(work, Task.Delay(1));
        }

        await work;
    }

    public RecordingPlatform Platform { get; }

    public IncidentService Service { get; }

    public OutboxDispatcher Dispatcher { get; }

    public ReminderScheduler Scheduler { get; }

    public static async Task<ServiceHarness> CreateAsync(string? folder = null, FakeTimeProvider? clock = null)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        clock ??= TestClock.Create();
        var store = new SqliteIncidentStore($"Data Source={Path.Combine(folder, "bot.db")}", clock);
        await store.MigrateAsync(CancellationToken.None);
        return new ServiceHarness(folder, store, clock);
    }

    public IncidentService NewService() =>
        new(Store, Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9", "U1"])]);

    public static CommandContext In(string conversation, Person? user = null, string? eventId = null) =>
        new("slack", "T1", conversation, user ?? Ada, eventId);

    public async Task<Incident> DeclareAsync(string title = "Checkout errors", Severity severity = Severity.Sev2)
    {
        var reply = await Service.DeclareAsync(new DeclareRequest(title, severity, IncidentType.Livesite), In("CGENERAL"), CancellationToken.None);
        Assert.That(reply.Incident, Is.Not.Null, reply.Text.PlainText);
        return reply.Incident!;
    }

    /// <summary>Declares an incident and delivers the outbox, so that its conversation exists.</summary>
    public async Task<(Incident Incident, string Channel)> DeclareOpenAsync(string title = "Checkout errors", Severity severity = Severity.Sev2)
    {
        var incident = await DeclareAsync(title, severity);
        await DrainAsync();
        return (incident, await ConversationOfAsync(incident));
    }

    /// <summary>Runs <paramref name="command"/> as said in <paramref name="conversation"/> (by Ada unless another <paramref name="user"/> is given).</summary>
    public Task<CommandReply> RunAsync(string conversation, Command command, Person? user = null, string? eventId = null) =>
        Service.ExecuteAsync(command, In(conversation, user, eventId), CancellationToken.None);

    /// <summary>How many timeline entries of <paramref name="kind"/> the incident has.</summary>
    public async Task<int> CountAsync(Incident incident, TimelineKind kind) =>
        (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Count(e => e.Kind == kind);

    /// <summary>Runs the dispatcher until the outbox has nothing deliverable left.</summary>
    public async Task DrainAsync()
    {
        while (await Dispatcher.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    public async Task<string> ConversationOfAsync(Incident incident) =>
        (await Store.GetAsync(incident.Id, CancellationToken.None))!.ConversationId!;

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A host under test may still hold the file for a moment; the temp folder is disposable.
        }
    }
}
