using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using Moq;

namespace IncidentBot.Core.Tests.Reminders;

/// <summary>
/// The reminder batch changes an incident only in its turn: on a store that commits in call order a turn hands its
/// incident on before it commits, so a nudge written beside the turn could take the version the turn made.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class ReminderNudgesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly List<string> _calls = [];

    private static Incident Incident(long id, int version) => new()
    {
        Id = id, Platform = "slack", WorkspaceId = "T1", Title = "Checkout errors", Severity = Severity.Sev2,
        Commander = new Person("U1", "Ada"), DeclaredBy = new Person("U1", "Ada"), DeclaredAt = Now.AddHours(-1), LastStatusUpdateAt = Now.AddHours(-1),
        Version = version,
    };

    /// <summary>An ordered store that records what it is asked, and saves everything.</summary>
    private IIncidentStore Store(params Incident[] stored)
    {
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .Returns((long id, CancellationToken _) =>
            {
                lock (_calls)
                {
                    _calls.Add($"read {id}");
                }

                return Task.FromResult<Incident?>(stored.Single(i => i.Id == id));
            });
        store.Setup(s => s.SaveBatchAsync(It.IsAny<IReadOnlyList<IncidentChange>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<IncidentChange> changes, CancellationToken _) =>
            {
                lock (_calls)
                {
                    _calls.Add("batch " + string.Join(",", changes.Select(c => $"{c.Incident.Id}@{c.Incident.Version}")));
                }

                return Task.FromResult<IReadOnlyList<SaveResult>>(changes.Select(_ => SaveResult.Saved).ToList());
            });
        store.As<IOrderedSaves>().Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<Action>(), It.IsAny<CancellationToken>()))
            .Returns((IncidentChange change, Action queued, CancellationToken _) =>
            {
                lock (_calls)
                {
                    _calls.Add($"turn {change.Incident.Id}@{change.Incident.Version}");
                }

                queued();
                return Task.FromResult(SaveResult.Saved);
            });
        return store.Object;
    }

    [Test]
    public async Task Send_WhileACommandHoldsTheIncidentsTurn_NudgesAfterItOnTheCommandsChange()
    {
        var services = new HandlerServices(Store(Incident(1, 5)), new FixedClock(Now), ReminderPolicy.Default, []);
        var nudges = new ReminderNudges(services);

        // A command holds incident 1's turn: it read version 5 and is deciding.
        var command = await services.Gate.EnterAsync(1, CancellationToken.None);
        var sending = nudges.SendAsync([new DueReminder(1, Now, Now.AddMinutes(1))], CancellationToken.None);
        lock (_calls)
        {
            Assert.That(_calls, Is.Empty, "the batch neither reads nor writes incident 1 while the command holds its turn");
        }

        // The command's change is queued (version 6); its turn passes on before it commits.
        Assert.That(await command.SaveAsync(services.Store, new IncidentChange { Incident = Incident(1, 6) with { Title = "Checkout errors (EU)" } }, CancellationToken.None), Is.EqualTo(SaveResult.Saved));
        Assert.That(await sending.WaitAsync(Deadline), Is.EqualTo(1));

        lock (_calls)
        {
            Assert.That(_calls, Is.EqualTo(new[] { "turn 1@6", "turn 1@7" }), "the nudge is decided on the command's version, in its own turn");
        }

        // The next turn (while the command still ends its own) decides on the nudge.
        using var next = await services.Gate.EnterAsync(1, CancellationToken.None).WaitAsync(Deadline);
        Assert.That(next.HandedOn()?.Version, Is.EqualTo(7));
        Assert.That(next.HandedOn()?.Title, Is.EqualTo("Checkout errors (EU)"));
        command.Dispose();
    }

    [Test]
    public async Task Send_OneIncidentBusy_TheOthersAreNudgedTogetherWithoutWaitingForIt()
    {
        var services = new HandlerServices(Store(Incident(1, 2), Incident(2, 3), Incident(3, 4)), new FixedClock(Now), ReminderPolicy.Default, []);
        var nudges = new ReminderNudges(services);
        var command = await services.Gate.EnterAsync(2, CancellationToken.None);

        // Claimed out of order and one twice: each incident is nudged once.
        var sending = nudges.SendAsync(
            [new DueReminder(3, Now, Now.AddMinutes(1)), new DueReminder(1, Now, Now.AddMinutes(1)), new DueReminder(2, Now, Now.AddMinutes(1)), new DueReminder(3, Now, Now.AddMinutes(1))],
            CancellationToken.None);
        lock (_calls)
        {
            Assert.That(_calls, Is.EqualTo(new[] { "read 3", "read 1", "batch 3@5,1@3" }), "incidents 1 and 3 do not wait for incident 2's command");
        }

        command.Dispose();
        Assert.That(await sending.WaitAsync(Deadline), Is.EqualTo(3));
        lock (_calls)
        {
            Assert.That(_calls.Skip(3), Is.EqualTo(new[] { "read 2", "turn 2@4" }), "incident 2 is nudged alone once its turn is free");
        }

        Assert.That(services.Gate.ActiveCount, Is.Zero, "every turn the batch took has ended");
    }

    [Test]
    public async Task Send_TheBatchThrows_TheNextTurnReadsTheStoreInsteadOfWhatWasHandedOn()
    {
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        store.As<IOrderedSaves>().Setup(s => s.SaveAsync(It.IsAny<IncidentChange>(), It.IsAny<Action>(), It.IsAny<CancellationToken>()))
            .Returns((IncidentChange _, Action queued, CancellationToken _) =>
            {
                queued();
                return Task.FromResult(SaveResult.Saved);
            });
        store.Setup(s => s.SaveBatchAsync(It.IsAny<IReadOnlyList<IncidentChange>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("the batch failed after part of it was written"));
        var services = new HandlerServices(store.Object, new FixedClock(Now), ReminderPolicy.Default, []);

        // A command's change (version 6) is queued and handed on; the command's turn has not ended yet.
        var command = await services.Gate.EnterAsync(1, CancellationToken.None);
        await command.SaveAsync(store.Object, new IncidentChange { Incident = Incident(1, 6) }, CancellationToken.None);

        Assert.That(async () => await new ReminderNudges(services).SendAsync([new DueReminder(1, Now, Now.AddMinutes(1))], CancellationToken.None), Throws.InstanceOf<IOException>());

        using var next = await services.Gate.EnterAsync(1, CancellationToken.None).WaitAsync(Deadline);
        Assert.That(next.HandedOn(), Is.Null, "the nudge may have landed on version 6: the next turn must read the store");
        command.Dispose();
    }
}
