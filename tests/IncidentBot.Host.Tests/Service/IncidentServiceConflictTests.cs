using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Core.Timeline;
using IncidentBot.Host.Tests.Support;
using Moq;

namespace IncidentBot.Host.Tests.Service;

/// <summary>
/// A save that loses a version race: the use case re-reads and decides again, or, when the incident keeps
/// changing, tells the person so and writes nothing. The conflicts are real: before a save reaches the
/// SQLite store, another writer changes the incident through the store.
/// </summary>
public sealed class IncidentServiceConflictTests
{
    private ServiceHarness _h = null!;
    private readonly List<SaveResult> _saves = [];
    private int _reads;

    [SetUp]
    public async Task SetUpAsync()
    {
        // NUnit runs every test of a fixture on one instance: start each from nothing.
        _saves.Clear();
        _reads = 0;
        _h = await ServiceHarness.CreateAsync();
    }

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    /// <summary>
    /// The real store behind a strict mock of the port: reads go through (and are counted); each save first
    /// lets <paramref name="competitor"/> change the incident when it asks to, then goes through. Any other
    /// call fails the test.
    /// </summary>
    private IncidentService ServiceOverRacedStore(Func<int, Task<bool>> competitor)
    {
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        store.Setup(s => s.WasInboundProcessedAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken ct) => _h.Store.WasInboundProcessedAsync(id, ct));
        store.Setup(s => s.GetAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .Returns((long id, CancellationToken ct) =>
            {
                _reads++;
                return _h.Store.GetAsync(id, ct);
            });
        store.Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<CancellationToken>()))
            .Returns(async (IncidentChange change, CancellationToken ct) =>
            {
                Assert.That(await competitor(_saves.Count), Is.True, "the competing change was written");
                var result = await _h.Store.SaveAsync(change, ct);
                _saves.Add(result);
                return result;
            });
        return new IncidentService(store.Object, _h.Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9"])]);
    }

    private Task<CommandReply> CompeteAsync(long incidentId, Command command) =>
        _h.Service.ExecuteAsync(command, ServiceHarness.In("CINC", ServiceHarness.Grace), incidentId, CancellationToken.None);

    [Test]
    public async Task Execute_ConflictOnceThenSaved_DecidesAgainOnTheFreshIncident()
    {
        var incident = await _h.DeclareAsync();
        var ackAt = _h.Clock.GetUtcNow().AddMinutes(2);
        var service = ServiceOverRacedStore(async attempt =>
        {
            if (attempt > 0)
            {
                return true;
            }

            // Grace acknowledges between Ada's read and Ada's save.
            _h.Clock.SetUtcNow(ackAt);
            var reply = await CompeteAsync(incident.Id, new TransitionCommand(LifecycleAction.Acknowledge));
            _h.Clock.Advance(TimeSpan.FromMinutes(3));
            return reply.Changed;
        });

        var reply = await _h.WhileClockRunsAsync(service.ExecuteAsync(new TransitionCommand(LifecycleAction.Mitigate), ServiceHarness.In("CINC"), incident.Id, CancellationToken.None));

        Assert.That(_saves, Is.EqualTo(new[] { SaveResult.Conflict, SaveResult.Saved }));
        Assert.That(_reads, Is.EqualTo(2), "read again after the conflict");
        Assert.That(reply.Changed, Is.True, reply.Text.PlainText);
        Assert.That(reply.Text.PlainText, Is.EqualTo($"{incident.Key} is now Mitigated."));
        var stored = await _h.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That((stored!.State, stored.Version), Is.EqualTo((IncidentState.Mitigated, 3)));
        Assert.That(stored.AcknowledgedAt, Is.EqualTo(ackAt), "Grace's acknowledgement stands: the retry decided on the fresh incident");
        var transitions = (await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Where(e => e.Kind == TimelineKind.StateChanged);
        Assert.That(transitions.Select(e => e.Actor), Is.EqualTo(new[] { ServiceHarness.Grace, ServiceHarness.Ada }),
            "one entry each; the stale decision would have stamped acknowledged for Ada too");
    }

    [Test]
    public async Task Execute_ConflictEveryTime_AnswersChangingFastAndWritesNothing()
    {
        var incident = await _h.DeclareAsync();
        var service = ServiceOverRacedStore(async attempt =>
            (await CompeteAsync(incident.Id, new NoteCommand($"competing note {attempt}"))).Changed);

        var reply = await _h.WhileClockRunsAsync(service.ExecuteAsync(new StatusUpdateCommand("rolling back now"), ServiceHarness.In("CINC", eventId: "Ev-fast"), incident.Id, CancellationToken.None));

        Assert.That(reply.Text.PlainText, Is.EqualTo($"{incident.Key} is changing fast right now; please try again."));
        Assert.That((reply.Display, reply.Changed), Is.EqualTo((ReplyDisplay.Private, false)));
        Assert.That(_saves, Has.Count.EqualTo(ConflictBackoff.MaxAttempts), "retried, but not forever");
        Assert.That(_saves, Is.All.EqualTo(SaveResult.Conflict));
        Assert.That(_reads, Is.EqualTo(_saves.Count), "each attempt read the incident again");

        var stored = await _h.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(stored!.Version, Is.EqualTo(1 + _saves.Count), "only the competing notes changed it");
        Assert.That(stored.LastStatusUpdateAt, Is.EqualTo(incident.LastStatusUpdateAt));
        var timeline = await _h.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        Assert.That(timeline.Select(e => e.Kind), Has.None.EqualTo(TimelineKind.StatusUpdate));
        Assert.That(timeline.Select(e => e.Text), Has.None.Contains("rolling back"));
        await _h.DrainAsync();
        Assert.That(_h.Platform.Delivered.Select(d => d.Message.Message?.Text.PlainText ?? ""), Has.None.Contains("rolling back"), "no message owed");
        Assert.That(await _h.Store.WasInboundProcessedAsync("Ev-fast", CancellationToken.None), Is.False, "a retry of the request may still succeed");
    }
}
