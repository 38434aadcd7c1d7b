using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>
/// Ids from the platforms are compared exactly, as SQLite and PostgreSQL compare text: Teams conversation and activity
/// ids are case-sensitive, and a webhook's dedup key is whatever its sender chose. Two ids that differ only in case
/// (or only as some culture folds letters) are two ids.
/// </summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task InboundIds_DifferingOnlyInCase_AreTwoEvents()
    {
        Assert.That(await Store.TryRecordInboundAsync("evt-AbC", CancellationToken.None), Is.True);
        Assert.That(await Store.TryRecordInboundAsync("evt-abc", CancellationToken.None), Is.True, "another event, not a redelivery");
        Assert.That(await Store.TryRecordInboundAsync("evt-AbC", CancellationToken.None), Is.False);
        Assert.That(await Store.WasInboundProcessedAsync("EVT-ABC", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Conversations_DifferingOnlyInCase_AreTwoConversations()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();
        await Store.SetConversationAsync(first.Id, "a:1xYz", null, CancellationToken.None);
        await Store.SetConversationAsync(second.Id, "a:1XyZ", null, CancellationToken.None);

        Assert.That((await Store.FindByConversationAsync("slack", "a:1xYz", CancellationToken.None))?.Id, Is.EqualTo(first.Id));
        Assert.That((await Store.FindByConversationAsync("slack", "a:1XyZ", CancellationToken.None))?.Id, Is.EqualTo(second.Id));
        Assert.That(await Store.FindByConversationAsync("slack", "A:1XYZ", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task SourceRefs_DifferingOnlyInCase_AreTwoSources()
    {
        var incident = await CreateAsync();

        Assert.That(await Store.AppendEntryAsync(Entry("db down", "alertgroup:DB") with { IncidentId = incident.Id }, CancellationToken.None), Is.True);
        Assert.That(await Store.AppendEntryAsync(Entry("db down", "alertgroup:db") with { IncidentId = incident.Id }, CancellationToken.None), Is.True, "not a repeat of the first");
        Assert.That(await Store.FindBySourceRefAsync("alertgroup:Db", CancellationToken.None), Is.Null);
        Assert.That((await Store.FindBySourceRefAsync("alertgroup:db", CancellationToken.None))?.Id, Is.EqualTo(incident.Id));
    }

    [Test]
    public async Task Anchors_DifferingOnlyInCase_AreTwoAnchors()
    {
        var incident = await CreateAsync();
        await Store.SetAnchorAsync(incident.Id, "Header", "m1", CancellationToken.None);
        await Store.SetAnchorAsync(incident.Id, "header", "m2", CancellationToken.None);

        Assert.That(await Store.GetAnchorAsync(incident.Id, "Header", CancellationToken.None), Is.EqualTo("m1"));
        Assert.That(await Store.GetAnchorAsync(incident.Id, "header", CancellationToken.None), Is.EqualTo("m2"));
    }
}
