using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>Claims: outbox leases, the reminder schedule, and two stores (two replicas) sharing them.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task Outbox_ClaimedRow_IsLeasedUntilLeaseExpires()
    {
        await CreateAsync("T1", Post("x", "CA"));
        var lease = TimeSpan.FromMinutes(2);

        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Is.Empty);

        Clock.Advance(lease + TimeSpan.FromSeconds(1));
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Has.Count.EqualTo(1), "a dead claimer's row comes back");
    }

    [Test]
    public async Task Outbox_RenewedLease_HoldsUntilTheNewExpiry()
    {
        await CreateAsync("T1", Post("slow", "CA"));
        var lease = TimeSpan.FromMinutes(1);
        var claimed = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None);

        Clock.Advance(TimeSpan.FromSeconds(50));
        await Store.RenewLeasesAsync([claimed[0].Id], Clock.GetUtcNow() + lease, CancellationToken.None);
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Is.Empty, "renewed: still held");

        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.That(await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, lease, CancellationToken.None), Has.Count.EqualTo(1), "not renewed again: released");
    }

    [Test]
    public async Task Reminders_ClaimedOnceAndRescheduledBySave()
    {
        var now = Clock.GetUtcNow();
        var (_, incident) = await Store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, NextReminderAt = now.AddMinutes(15) }, null, CancellationToken.None);

        Assert.That(await Store.ClaimDueRemindersAsync(now.AddMinutes(14), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Is.Empty);
        var due = await Store.ClaimDueRemindersAsync(now.AddMinutes(16), 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(due.Select(d => d.IncidentId), Is.EqualTo(new[] { incident!.Id }));
        Assert.That(await Store.ClaimDueRemindersAsync(now.AddMinutes(16), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Is.Empty, "claimed once");

        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, NextReminderAt = null }, CancellationToken.None);
        Assert.That(await Store.ClaimDueRemindersAsync(now.AddHours(5), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Is.Empty, "a null due stops reminders");
    }

    [Test]
    public async Task Reminders_TwoStoresClaimingAtOnce_EachDueReminderClaimedOnce()
    {
        const int Incidents = 40;
        var due = Clock.GetUtcNow().AddMinutes(1);
        var ids = new List<long>();
        for (var i = 0; i < Incidents; i++)
        {
            var (_, incident) = await Store.CreateAsync(Draft(), x => new IncidentChange { Incident = x, NextReminderAt = due.AddTicks(i) }, null, CancellationToken.None);
            ids.Add(incident!.Id);
        }

        var stores = new[] { Store, SecondStore() };
        var now = due.AddMinutes(1);

        // Small batches claimed in a loop by both stores at once, so the claims interleave many times.
        var claims = await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await store.ClaimDueRemindersAsync(now, 3, TimeSpan.FromMinutes(1), CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(d => d.IncidentId));
            }

            return mine;
        })));

        var claimed = claims.SelectMany(c => c).ToList();
        Assert.That(claimed, Is.Unique, "no reminder claimed by both stores");
        Assert.That(claimed, Is.EquivalentTo(ids), "every due reminder claimed");
        TestContext.Out.WriteLine($"claimed by each store: {claims[0].Count} / {claims[1].Count}");
    }
}
