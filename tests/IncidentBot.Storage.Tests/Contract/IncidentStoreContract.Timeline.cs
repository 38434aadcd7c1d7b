using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>The status view's reads: the latest entries without reading the whole timeline, and one entry by id.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task RecentTimeline_LatestNotLeftOut_OldestFirst()
    {
        var incident = await CreateAsync();
        var entries = Enumerable.Range(1, 15).Select(i => Entry($"entry {i}") with { At = Clock.GetUtcNow().AddMinutes(i) }).ToList();
        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, Entries = entries, KeepsReminder = true }, CancellationToken.None);
        var stored = await Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        var leftOut = stored.Single(e => e.Text == "entry 14");
        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 3 }, RedactEntryIds = [leftOut.Id], KeepsReminder = true }, CancellationToken.None);

        var recent = await Store.GetRecentTimelineAsync(incident.Id, 3, CancellationToken.None);

        Assert.That(recent.Select(e => e.Text), Is.EqualTo(new[] { "entry 12", "entry 13", "entry 15" }));
    }

    [Test]
    public async Task TimelineEntry_ById_OnlyWithinItsIncident()
    {
        var incident = await CreateAsync("T1");
        var other = await CreateAsync("T2");
        var declared = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single();

        var found = await Store.GetTimelineEntryAsync(incident.Id, declared.Id, CancellationToken.None);
        var fromOther = await Store.GetTimelineEntryAsync(other.Id, declared.Id, CancellationToken.None);

        Assert.That(found, Is.EqualTo(declared));
        Assert.That(fromOther, Is.Null);
    }
}
