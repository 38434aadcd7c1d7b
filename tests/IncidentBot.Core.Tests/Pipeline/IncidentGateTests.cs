using IncidentBot.Core.Pipeline;

namespace IncidentBot.Core.Tests.Pipeline;

public sealed class IncidentGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Enter_SameIncidentHeld_WaitsUntilTheTurnEnds()
    {
        var gate = new IncidentGate();
        var first = await gate.EnterAsync(1, CancellationToken.None);

        await AssertNextWaitsForAsync(gate, first, "the second waits while the first holds the turn");
    }

    /// <summary>A newcomer to incident 1 waits while <paramref name="first"/> holds its turn, enters once it ends, and then nothing is left.</summary>
    private static async Task AssertNextWaitsForAsync(IncidentGate gate, IncidentTurn first, string because)
    {
        var next = gate.EnterAsync(1, CancellationToken.None);
        Assert.That(next.IsCompleted, Is.False, because);
        first.Dispose();
        (await next.WaitAsync(Deadline)).Dispose();
        Assert.That(gate.ActiveCount, Is.Zero);
    }

    [Test]
    public async Task Enter_OtherIncidentHeld_EntersAtOnce()
    {
        var gate = new IncidentGate();
        using var first = await gate.EnterAsync(1, CancellationToken.None);

        var other = gate.EnterAsync(2, CancellationToken.None);

        Assert.That(other.IsCompletedSuccessfully, Is.True, "incident 2 does not wait for incident 1");
        (await other).Dispose();
        Assert.That(gate.ActiveCount, Is.EqualTo(1), "incident 2 is forgotten once idle");
    }

    [Test]
    public async Task Enter_ManyWritersOnTwoIncidents_OneAtATimePerIncidentAndBothAtOnce()
    {
        var gate = new IncidentGate();
        var inside = new int[2];
        var maxInside = new int[2];
        var counters = new int[2];
        var bothInside = 0;

        async Task WriteAsync(int incident)
        {
            for (var i = 0; i < 50; i++)
            {
                using var turn = await gate.EnterAsync(incident, CancellationToken.None);
                var now = Interlocked.Increment(ref inside[incident]);
                InterlockedMax(ref maxInside[incident], now);
                if (Volatile.Read(ref inside[1 - incident]) > 0)
                {
                    Interlocked.Increment(ref bothInside);
                }

                // A read-yield-write that loses updates unless the turn is exclusive.
                var read = counters[incident];
                await Task.Yield();
                counters[incident] = read + 1;
                Interlocked.Decrement(ref inside[incident]);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => WriteAsync(w % 2)))).WaitAsync(Deadline);

        Assert.That(counters, Is.EqualTo(new[] { 200, 200 }), "no update lost");
        Assert.That(maxInside, Is.EqualTo(new[] { 1, 1 }), "one writer per incident at a time");
        Assert.That(gate.ActiveCount, Is.Zero, "every incident forgotten once idle");
        TestContext.Out.WriteLine($"turns that overlapped with the other incident's: {bothInside}");
    }

    [Test]
    public async Task Enter_CancelledWhileWaiting_ThrowsAndLeavesNothingBehind()
    {
        var gate = new IncidentGate();
        var first = await gate.EnterAsync(1, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync(1, cancel.Token);
        await cancel.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        await AssertNextWaitsForAsync(gate, first, "the cancelled waiter did not take or end the first's turn");
    }

    [Test]
    public void Enter_AlreadyCancelled_ThrowsAndLeavesNothingBehind()
    {
        var gate = new IncidentGate();

        Assert.That(async () => await gate.EnterAsync(1, new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(gate.ActiveCount, Is.Zero);
    }

    [Test]
    public async Task Dispose_Twice_EndsTheTurnOnce()
    {
        var gate = new IncidentGate();
        var first = await gate.EnterAsync(1, CancellationToken.None);
        var second = gate.EnterAsync(1, CancellationToken.None);
        var third = gate.EnterAsync(1, CancellationToken.None);

        first.Dispose();
        first.Dispose();

        using var secondTurn = await second.WaitAsync(Deadline);
        Assert.That(third.IsCompleted, Is.False, "a second dispose did not let the third in beside the second");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
