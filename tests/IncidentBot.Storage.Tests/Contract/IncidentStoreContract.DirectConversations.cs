using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

public abstract partial class IncidentStoreContract
{
    private const string Ada1On1 = "a:1ada-personal";

    private DirectConversation AdaDirect(string conversationId = Ada1On1, string? serviceUrl = "https://smba.example/emea/", string user = "29:1ada") =>
        new("teams", "tenant-1", user, conversationId, serviceUrl, Clock.GetUtcNow());

    [Test]
    public async Task DirectConversation_Recorded_ReadByEveryStoreOnlyForItsPlatformWorkspaceAndUser()
    {
        Assert.That(await Store.RecordDirectConversationAsync(AdaDirect(), CancellationToken.None), Is.True);

        Assert.That(await SecondStore().GetDirectConversationAsync("teams", "tenant-1", "29:1ada", CancellationToken.None), Is.EqualTo(AdaDirect()), "another replica reads it");
        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", "29:2grace", CancellationToken.None), Is.Null, "another user");
        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-2", "29:1ada", CancellationToken.None), Is.Null, "another tenant");
        Assert.That(await Store.GetDirectConversationAsync("slack", "tenant-1", "29:1ada", CancellationToken.None), Is.Null, "another platform");
    }

    [Test]
    public async Task DirectConversation_SeenLater_ReplacesTheStoredOne_SeenEarlier_ChangesNothing()
    {
        await Store.RecordDirectConversationAsync(AdaDirect(serviceUrl: null), CancellationToken.None);
        var earlier = AdaDirect("a:old");
        Clock.Advance(TimeSpan.FromMinutes(5));

        var newer = AdaDirect("a:new", "https://smba.example/amer/");
        Assert.That(await Store.RecordDirectConversationAsync(newer, CancellationToken.None), Is.True);
        Assert.That(await Store.RecordDirectConversationAsync(earlier, CancellationToken.None), Is.False, "a redelivered older activity");

        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", "29:1ada", CancellationToken.None), Is.EqualTo(newer));
        Assert.That(await Store.RecordDirectConversationAsync(newer, CancellationToken.None), Is.True, "seen again at the same instant: written again, the same");
    }

    [Test]
    public async Task DirectConversation_Forget_OnlyWhileItIsStillTheStoredConversation()
    {
        await Store.RecordDirectConversationAsync(AdaDirect(), CancellationToken.None);
        await Store.RecordDirectConversationAsync(AdaDirect(user: "29:2grace"), CancellationToken.None);

        Assert.That(await Store.ForgetDirectConversationAsync("teams", "tenant-1", "29:1ada", "a:another", Clock.GetUtcNow(), CancellationToken.None), Is.False);
        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", "29:1ada", CancellationToken.None), Is.Not.Null);

        Assert.That(await Store.ForgetDirectConversationAsync("teams", "tenant-1", "29:1ada", Ada1On1, Clock.GetUtcNow(), CancellationToken.None), Is.True);
        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", "29:1ada", CancellationToken.None), Is.Null);
        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", "29:2grace", CancellationToken.None), Is.Not.Null, "another person's stays");
        Assert.That(await Store.ForgetDirectConversationAsync("teams", "tenant-1", "29:1ada", Ada1On1, Clock.GetUtcNow(), CancellationToken.None), Is.False, "forgotten once");
    }

    [Test]
    public async Task DirectConversation_Forget_KeepsTheSameConversationSeenAgainSince()
    {
        var refused = AdaDirect();
        await Store.RecordDirectConversationAsync(refused, CancellationToken.None);

        // The person added the app again (Teams keeps the 1:1's id) while a send to the old record was being refused.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.RecordDirectConversationAsync(AdaDirect(), CancellationToken.None);

        Assert.That(await Store.ForgetDirectConversationAsync("teams", "tenant-1", "29:1ada", Ada1On1, refused.SeenAt, CancellationToken.None), Is.False);
        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", "29:1ada", CancellationToken.None), Is.EqualTo(AdaDirect()), "the fresh record stays");
        Assert.That(await Store.ForgetDirectConversationAsync("teams", "tenant-1", "29:1ada", Ada1On1, Clock.GetUtcNow(), CancellationToken.None), Is.True);
    }

    [Test]
    public async Task DirectConversation_IdsLongerThanAnIndexKey_RecordedAndFound()
    {
        var user = "29:" + new string('x', 2000);
        var conversation = AdaDirect("a:" + new string('y', 2000), user: user);

        await Store.RecordDirectConversationAsync(conversation, CancellationToken.None);

        Assert.That(await Store.GetDirectConversationAsync("teams", "tenant-1", user, CancellationToken.None), Is.EqualTo(conversation));
    }
}
