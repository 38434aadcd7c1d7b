namespace IncidentBot.Storage.Tests.Contract;

/// <summary>Finding an incident by its number (the HTTP API's `/api/incidents/{number}`) without listing them all.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task FindByNumber_SameNumberInTwoWorkspaces_BothWithoutFilterOneWithIt()
    {
        var first = await CreateAsync("T1");
        var second = await CreateAsync("T2");
        await CreateAsync("T1");

        var both = await Store.FindByNumberAsync(1, null, null, CancellationToken.None);
        var one = await Store.FindByNumberAsync(1, first.Platform, "T2", CancellationToken.None);
        var none = await Store.FindByNumberAsync(3, null, null, CancellationToken.None);

        Assert.That(both.Select(i => i.Id), Is.EquivalentTo(new[] { first.Id, second.Id }));
        Assert.That(one.Single().Id, Is.EqualTo(second.Id));
        Assert.That(one.Single().Title, Is.EqualTo(second.Title));
        Assert.That(none, Is.Empty);
    }
}
