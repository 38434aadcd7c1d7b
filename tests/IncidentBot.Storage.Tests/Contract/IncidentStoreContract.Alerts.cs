using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>An alert group's incident, found by the source reference of its opening entry.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task FindBySourceRef_NoEntryWithIt_IsNull()
    {
        await CreateAsync();

        Assert.That(await Store.FindBySourceRefAsync("alertgroup:none", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task FindBySourceRef_IsTheNewestIncidentWithThatEntry()
    {
        var (_, first) = await Store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened", "alertgroup:a")] }, null, CancellationToken.None);
        var (_, other) = await Store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened", "alertgroup:b")] }, null, CancellationToken.None);
        Assert.That((await Store.FindBySourceRefAsync("alertgroup:a", CancellationToken.None))?.Id, Is.EqualTo(first!.Id));

        var (_, second) = await Store.CreateAsync(Draft(), i => new IncidentChange { Incident = i, Entries = [Entry("opened again", "alertgroup:a")] }, null, CancellationToken.None);

        Assert.That((await Store.FindBySourceRefAsync("alertgroup:a", CancellationToken.None))?.Id, Is.EqualTo(second!.Id), "the group's latest incident");
        Assert.That((await Store.FindBySourceRefAsync("alertgroup:b", CancellationToken.None))?.Id, Is.EqualTo(other!.Id));
    }

    [Test]
    public async Task FindBySourceRef_SeesEntriesASaveAdded_AndReadsTheIncidentAsSaved()
    {
        var incident = await CreateAsync();
        var next = incident with { Version = incident.Version + 1, Title = "renamed" };
        Assert.That(await Store.SaveAsync(new IncidentChange { Incident = next, Entries = [Entry("alert", "alert:x")], KeepsReminder = true }, CancellationToken.None), Is.EqualTo(SaveResult.Saved));

        var found = await Store.FindBySourceRefAsync("alert:x", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        Assert.That((found!.Id, found.Title, found.Version), Is.EqualTo((incident.Id, "renamed", next.Version)));
    }
}
