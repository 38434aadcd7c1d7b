using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>Follow-ups and the post-incident fields: saved with the incident, numbered per workspace.</summary>
public abstract partial class IncidentStoreContract
{
    private static readonly Person Grace = new("U2", "Grace");

    private FollowUp NewFollowUp(int number, Person? owner = null) => new()
    {
        Number = number,
        Text = "Alert on queue depth | écrire 決済",
        Owner = owner,
        Due = new DateOnly(2026, 12, 24),
        CreatedBy = Ada,
        CreatedAt = Clock.GetUtcNow(),
    };

    [Test]
    public async Task FollowUps_SavedWithIncident_RoundTripEveryField()
    {
        var incident = await CreateAsync();
        var open = NewFollowUp(1, Grace) with { TrackerUrl = "https://github.com/acme/app/issues/9" };
        var dropped = NewFollowUp(2) with { State = FollowUpState.Dropped, DropReason = "retired", ClosedAt = Clock.GetUtcNow().AddMinutes(3), Due = null };
        var reviewedAt = Clock.GetUtcNow().AddHours(1);
        var next = incident with
        {
            Version = 2,
            State = IncidentState.Reviewed,
            ReviewedAt = reviewedAt,
            ReviewedBy = Grace,
            ClosedAt = reviewedAt.AddHours(1),
            FollowUps = [open, dropped],
        };

        Assert.That(await Store.SaveAsync(IncidentChange.KeepingReminder(next), CancellationToken.None), Is.EqualTo(SaveResult.Saved));

        var stored = (await Store.GetAsync(incident.Id, CancellationToken.None))!;
        Assert.That(stored.FollowUps, Is.EqualTo(new[] { open, dropped }));
        Assert.That((stored.State, stored.ReviewedAt, stored.ReviewedBy, stored.ClosedAt), Is.EqualTo((IncidentState.Reviewed, reviewedAt, Grace, reviewedAt.AddHours(1))));
    }

    [Test]
    public async Task FollowUps_ConflictingSave_WritesNoneOfThem()
    {
        var incident = await CreateAsync();
        await Store.SaveAsync(IncidentChange.KeepingReminder(incident with { Version = 2, Title = "first" }), CancellationToken.None);

        var stale = IncidentChange.KeepingReminder(incident with { Version = 2, FollowUps = [NewFollowUp(1)] }) with { Messages = [Post("follow-up 1")] };

        Assert.That(await Store.SaveAsync(stale, CancellationToken.None), Is.EqualTo(SaveResult.Conflict));
        Assert.That((await Store.GetAsync(incident.Id, CancellationToken.None))!.FollowUps, Is.Empty);
    }

    [Test]
    public async Task NextFollowUpNumber_CountsPerWorkspace_NeverTheSameTwice()
    {
        await CreateAsync("T1");
        await CreateAsync("T2");

        var t1 = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None))));
        var t2 = await Store.NextFollowUpNumberAsync("slack", "T2", CancellationToken.None);

        Assert.That(t1.Order(), Is.EqualTo(Enumerable.Range(1, 20)));
        Assert.That(t2, Is.EqualTo(1));
    }

    [Test]
    public async Task NextFollowUpNumber_NewIncidentAfterwards_KeepsCounting()
    {
        await CreateAsync("T1");
        await Store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None);
        var second = await CreateAsync("T1");

        Assert.That(second.Number, Is.EqualTo(2));
        Assert.That(await Store.NextFollowUpNumberAsync("slack", "T1", CancellationToken.None), Is.EqualTo(2));
    }

    [Test]
    public async Task ListOpen_ReviewedAndClosed_AreNotOpen()
    {
        var open = await CreateAsync();
        var reviewed = await CreateAsync();
        var closed = await CreateAsync();
        await Store.SaveAsync(new IncidentChange { Incident = reviewed with { Version = 2, State = IncidentState.Reviewed } }, CancellationToken.None);
        await Store.SaveAsync(new IncidentChange { Incident = closed with { Version = 2, State = IncidentState.Closed } }, CancellationToken.None);

        var listed = await Store.ListAsync("slack", "T1", openOnly: true, CancellationToken.None);
        var counts = await Store.CountOpenIncidentsAsync(CancellationToken.None);

        Assert.That(listed.Select(i => i.Id), Is.EqualTo(new[] { open.Id }));
        Assert.That(counts.Sum(c => c.Count), Is.EqualTo(1));
    }

    [Test]
    public async Task FollowUpNudges_ScheduledFromFollowUps_ClaimedOnceAcrossStores()
    {
        var incident = await CreateAsync();
        var second = SecondStore();
        var dueAt = new DateTimeOffset(2026, 12, 25, 0, 0, 0, TimeSpan.Zero);
        var lease = TimeSpan.FromMinutes(2);
        await Store.SaveAsync(IncidentChange.KeepingReminder(incident with { Version = 2, FollowUps = [NewFollowUp(1, Grace), NewFollowUp(2), NewFollowUp(3, Grace) with { State = FollowUpState.Done }] }), CancellationToken.None);

        Assert.That(await Store.ClaimDueFollowUpNudgesAsync(dueAt.AddSeconds(-1), 10, lease, CancellationToken.None), Is.Empty, "not before the day after the due day");
        var claimed = await second.ClaimDueFollowUpNudgesAsync(dueAt, 10, lease, CancellationToken.None);
        Assert.That(claimed, Is.EqualTo(new[] { new DueFollowUpNudge(incident.Id, 1, dueAt + lease) }), "only the open, owned one");
        Assert.That(await Store.ClaimDueFollowUpNudgesAsync(dueAt, 10, lease, CancellationToken.None), Is.Empty, "claimed once");
        Assert.That(await Store.ClaimDueFollowUpNudgesAsync(dueAt + lease, 10, lease, CancellationToken.None), Has.Count.EqualTo(1), "a dead claimer's nudge comes back");
    }

    [Test]
    public async Task FollowUpNudges_SaveAfterNudge_MovesToTheNextDay_DoneStopsThem()
    {
        var incident = await CreateAsync();
        var dueAt = new DateTimeOffset(2026, 12, 25, 0, 0, 0, TimeSpan.Zero);
        var followUp = NewFollowUp(1, Grace);
        await Store.SaveAsync(IncidentChange.KeepingReminder(incident with { Version = 2, FollowUps = [followUp] }), CancellationToken.None);
        var nudged = followUp with { LastNudgedOn = new DateOnly(2026, 12, 27) };
        await Store.SaveAsync(IncidentChange.KeepingReminder(incident with { Version = 3, FollowUps = [nudged] }), CancellationToken.None);

        Assert.That(await Store.ClaimDueFollowUpNudgesAsync(dueAt.AddDays(3).AddSeconds(-1), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Is.Empty);
        Assert.That(await Store.ClaimDueFollowUpNudgesAsync(dueAt.AddDays(3), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Has.Count.EqualTo(1));

        await Store.SaveAsync(IncidentChange.KeepingReminder(incident with { Version = 4, FollowUps = [nudged with { State = FollowUpState.Done }] }), CancellationToken.None);
        Assert.That(await Store.ClaimDueFollowUpNudgesAsync(dueAt.AddDays(30), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task ListWithFollowUps_OnlyIncidentsThatHaveSome_ByPlatform()
    {
        await CreateAsync();
        var with = await CreateAsync();
        await Store.SaveAsync(IncidentChange.KeepingReminder(with with { Version = 2, FollowUps = [NewFollowUp(1)] }), CancellationToken.None);

        Assert.That((await Store.ListWithFollowUpsAsync(null, CancellationToken.None)).Select(i => (i.Id, i.FollowUps.Count)), Is.EqualTo(new[] { (with.Id, 1) }));
        Assert.That((await Store.ListWithFollowUpsAsync("slack", CancellationToken.None)).Select(i => i.Id), Is.EqualTo(new[] { with.Id }));
        Assert.That(await Store.ListWithFollowUpsAsync("teams", CancellationToken.None), Is.Empty);
    }
}
