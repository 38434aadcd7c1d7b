using IncidentBot.Core.Ports;
using LiteDB;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>
/// Entries' source references live in a collection of their own, so an entry without one (most of them) touches no
/// index for it. A file made before kept them on the timeline with two indexes: opening it moves them.
/// </summary>
public sealed class LiteDbTimelineSourcesTests : LiteDbFileTests
{
    private static string[] TimelineIndexes(LiteDatabase db) =>
        db.GetCollection("$indexes").FindAll().Where(i => i["collection"].AsString == "timeline").Select(i => i["name"].AsString).Order().ToArray();

    [Test]
    public async Task EntryWithoutSource_WritesNoSourceDocument_EntryWithOne_WritesOne()
    {
        using (var store = await OpenAsync())
        {
            var (_, incident) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("declared")] }, null, CancellationToken.None);
            Assert.That(await store.AppendEntryAsync(Entry("said") with { IncidentId = incident!.Id, SourceRef = "1700000000.000100" }, CancellationToken.None), Is.True);
        }

        WithRawFile(Filename, db =>
        {
            Assert.That(db.GetCollection("timeline_sources").FindAll().Select(s => s["source_ref"].AsString), Is.EqualTo(new[] { "1700000000.000100" }));
            Assert.That(TimelineIndexes(db), Is.EqualTo(new[] { "_id", "order" }));
        });
    }

    [Test]
    public async Task FileWithSourcesOnTheTimeline_OnOpen_MovesThem_AndDropsTheirIndexes()
    {
        long incidentId;
        using (var store = await OpenAsync())
        {
            var (_, incident) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened") with { SourceRef = "alertgroup:db" }] }, null, CancellationToken.None);
            incidentId = incident!.Id;
            Assert.That(await store.AppendEntryAsync(Entry("said") with { IncidentId = incidentId, SourceRef = "1700000000.000100" }, CancellationToken.None), Is.True);
            Assert.That(await store.AppendEntryAsync(Entry("plain") with { IncidentId = incidentId }, CancellationToken.None), Is.True);
        }

        ToLayoutBeforeSources(Filename);

        using (var store = await OpenAsync())
        {
            Assert.That((await store.FindBySourceRefAsync("alertgroup:db", CancellationToken.None))?.Id, Is.EqualTo(incidentId));
            Assert.That(await store.AppendEntryAsync(Entry("said again") with { IncidentId = incidentId, SourceRef = "1700000000.000100" }, CancellationToken.None), Is.False, "a repeat, known from the moved source");
            Assert.That(await store.AppendEntryAsync(Entry("new") with { IncidentId = incidentId, SourceRef = "1700000000.000200" }, CancellationToken.None), Is.True);
            Assert.That((await store.GetTimelineAsync(incidentId, CancellationToken.None)).Select(e => e.Text), Is.EqualTo(new[] { "opened", "said", "plain", "new" }));
        }

        WithRawFile(Filename, db => Assert.That(TimelineIndexes(db), Is.EqualTo(new[] { "_id", "order" })));
    }

    [Test]
    public async Task SourceRefThatBeginsWithAnother_IsNotTakenForIt()
    {
        using var store = await OpenAsync();
        var (_, first) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened") with { SourceRef = "group" }] }, null, CancellationToken.None);
        var (_, second) = await store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened") with { SourceRef = "group\u001f9" }] }, null, CancellationToken.None);

        Assert.That((await store.FindBySourceRefAsync("group", CancellationToken.None))?.Id, Is.EqualTo(first!.Id), "the newer incident's reference only begins with it");
        Assert.That((await store.FindBySourceRefAsync("group\u001f9", CancellationToken.None))?.Id, Is.EqualTo(second!.Id));
    }
}
