using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task ChannelArchives_RecordedWhenSavedClosed_ClaimedAfterTheDelayOnceAcrossStores_CompletedNeverAgain()
    {
        var incident = await CreateAsync();
        var second = SecondStore();
        var closedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var lease = TimeSpan.FromMinutes(2);
        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2, State = IncidentState.Reviewed } }, CancellationToken.None);
        Assert.That(await Store.ClaimDueChannelArchivesAsync("slack", closedAt.AddYears(1), closedAt.AddYears(1), 10, lease, CancellationToken.None), Is.Empty, "only closed incidents");

        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 3, State = IncidentState.Closed, ClosedAt = closedAt } }, CancellationToken.None);
        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 4, State = IncidentState.Closed, ClosedAt = closedAt } }, CancellationToken.None);

        var now = closedAt.AddDays(7);
        Assert.That(await Store.ClaimDueChannelArchivesAsync("slack", closedAt.AddSeconds(-1), now, 10, lease, CancellationToken.None), Is.Empty, "not before the delay");
        Assert.That(await Store.ClaimDueChannelArchivesAsync("teams", closedAt, now, 10, lease, CancellationToken.None), Is.Empty, "only the asked platform");
        var claimed = await second.ClaimDueChannelArchivesAsync("slack", closedAt, now, 10, lease, CancellationToken.None);
        Assert.That(claimed, Is.EqualTo(new[] { new DueChannelArchive(incident.Id, now + lease) }), "one row, however often it was saved closed");
        Assert.That(await Store.ClaimDueChannelArchivesAsync("slack", closedAt, now, 10, lease, CancellationToken.None), Is.Empty, "claimed once");
        Assert.That(await Store.ClaimDueChannelArchivesAsync("slack", closedAt, now + lease, 10, lease, CancellationToken.None), Has.Count.EqualTo(1), "a dead claimer's archive comes back");

        await Store.CompleteChannelArchiveAsync(incident.Id, CancellationToken.None);
        Assert.That(await Store.ClaimDueChannelArchivesAsync("slack", closedAt.AddYears(1), now.AddYears(1), 10, lease, CancellationToken.None), Is.Empty, "completed");
    }
}
