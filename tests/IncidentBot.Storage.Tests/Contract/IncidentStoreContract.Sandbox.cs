using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>The sandbox platform's conversations and messages: create, post, update in place, list, read after a sequence.</summary>
public abstract partial class IncidentStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    private SandboxConversation Conversation(string id, string name) => new(id, name, $"topic of {name}", Clock.GetUtcNow());

    [Test]
    public async Task SandboxConversations_CreatedOnce_ListedOldestFirst_TopicReplaced()
    {
        Assert.That(await Store.ListSandboxConversationsAsync(None), Is.Empty);
        Assert.That(await Store.CreateSandboxConversationAsync(Conversation("sandbox-announcements", "announcements"), None), Is.True);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await Store.CreateSandboxConversationAsync(Conversation("inc-1-checkout", "inc-1-checkout"), None), Is.True);
        Assert.That(await Store.CreateSandboxConversationAsync(Conversation("inc-1-checkout", "another name"), None), Is.False, "an id is created once");

        Assert.That(await Store.SetSandboxTopicAsync("inc-1-checkout", "INC-1 · Sev2 · Acknowledged", None), Is.True);
        Assert.That(await Store.SetSandboxTopicAsync("no-such", "x", None), Is.False);

        var listed = await Store.ListSandboxConversationsAsync(None);
        Assert.That(listed.Select(c => c.Id), Is.EqualTo(new[] { "sandbox-announcements", "inc-1-checkout" }));
        Assert.That(listed[1].Name, Is.EqualTo("inc-1-checkout"), "the second create changed nothing");
        Assert.That(listed[1].Topic, Is.EqualTo("INC-1 · Sev2 · Acknowledged"));
        Assert.That(listed[0].CreatedAt, Is.EqualTo(Clock.GetUtcNow() - TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task SandboxMessages_PostedInOrder_ReadAfterSequence_PrivateOnesForTheirRecipientOnly()
    {
        await Store.CreateSandboxConversationAsync(Conversation("c1", "c1"), None);
        await Store.CreateSandboxConversationAsync(Conversation("c2", "c2"), None);
        var first = await Store.PostSandboxMessageAsync("c1", null, new ChatMessage { Title = "Header", Text = RichText.Of($"is {Run.Bold("Declared")}"), Fields = [new("Severity", "Sev2")], Buttons = [new(ActionIds.Acknowledge, "Acknowledge", "7", ButtonStyle.Primary)] }, null, Clock.GetUtcNow(), None);
        var elsewhere = await Store.PostSandboxMessageAsync("c2", null, new ChatMessage { Text = "other conversation" }, null, Clock.GetUtcNow(), None);
        var secret = await Store.PostSandboxMessageAsync("c1", "sb-ada", new ChatMessage { Text = "only Ada" }, null, Clock.GetUtcNow(), None);
        var file = await Store.PostSandboxMessageAsync("c1", null, new ChatMessage { Text = "Postmortem" }, new ChatFile("inc-1.md", "INC-1 postmortem", "# INC-1\n<b>kept as text</b>"), Clock.GetUtcNow(), None);

        Assert.That(new[] { first.Sequence, elsewhere.Sequence, secret.Sequence, file.Sequence }, Is.Ordered.Ascending);
        Assert.That(new[] { first.MessageRef, elsewhere.MessageRef, secret.MessageRef, file.MessageRef }, Is.Unique);

        var everyone = await Store.ListSandboxMessagesAsync("c1", 0, null, 100, None);
        Assert.That(everyone.Select(m => m.MessageRef), Is.EqualTo(new[] { first.MessageRef, file.MessageRef }));
        var ada = await Store.ListSandboxMessagesAsync("c1", 0, "sb-ada", 100, None);
        Assert.That(ada.Select(m => m.MessageRef), Is.EqualTo(new[] { first.MessageRef, secret.MessageRef, file.MessageRef }));
        Assert.That(await Store.ListSandboxMessagesAsync("c1", 0, "sb-bob", 100, None), Has.Count.EqualTo(2));
        Assert.That((await Store.ListSandboxMessagesAsync("c1", first.Sequence, "sb-ada", 100, None)).Select(m => m.MessageRef), Is.EqualTo(new[] { secret.MessageRef, file.MessageRef }));
        Assert.That(await Store.ListSandboxMessagesAsync("c1", 0, "sb-ada", 1, None), Has.Count.EqualTo(1), "at most max");

        var header = everyone[0];
        Assert.That(header.Message.Title!.PlainText, Is.EqualTo("Header"));
        Assert.That(header.Message.Text, Is.EqualTo(RichText.Of($"is {Run.Bold("Declared")}")), "rich text round-trips");
        Assert.That(header.Message.Fields, Is.EqualTo(new[] { new MessageField("Severity", "Sev2") }));
        Assert.That(header.Message.Buttons, Is.EqualTo(new[] { new MessageButton(ActionIds.Acknowledge, "Acknowledge", "7", ButtonStyle.Primary) }));
        Assert.That(header.RecipientId, Is.Null);
        Assert.That(header.EditedAt, Is.Null);
        Assert.That(ada[1].RecipientId, Is.EqualTo("sb-ada"));
        Assert.That(everyone[1].File, Is.EqualTo(new ChatFile("inc-1.md", "INC-1 postmortem", "# INC-1\n<b>kept as text</b>")));
    }

    [Test]
    public async Task SandboxMessages_UpdatedInPlace_KeepTheirRefAndPlace_AndAreReadAgainAfterTheirOldSequence()
    {
        await Store.CreateSandboxConversationAsync(Conversation("c1", "c1"), None);
        var header = await Store.PostSandboxMessageAsync("c1", null, new ChatMessage { Text = "Declared" }, null, Clock.GetUtcNow(), None);
        var later = await Store.PostSandboxMessageAsync("c1", null, new ChatMessage { Text = "Status update" }, null, Clock.GetUtcNow(), None);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await Store.UpdateSandboxMessageAsync(header.MessageRef, new ChatMessage { Text = "Acknowledged" }, Clock.GetUtcNow(), None);

        Assert.That(updated, Is.Not.Null);
        Assert.That(updated!.MessageRef, Is.EqualTo(header.MessageRef));
        Assert.That(updated.Sequence, Is.GreaterThan(later.Sequence), "an update is news to a reader who saw everything before it");
        Assert.That(updated.EditedAt, Is.EqualTo(Clock.GetUtcNow()));
        Assert.That(updated.PostedAt, Is.EqualTo(header.PostedAt));
        var news = await Store.ListSandboxMessagesAsync("c1", later.Sequence, null, 100, None);
        Assert.That(news.Select(m => (m.MessageRef, m.Message.Text.PlainText)), Is.EqualTo(new[] { (header.MessageRef, "Acknowledged") }));
        var all = await Store.ListSandboxMessagesAsync("c1", 0, null, 100, None);
        Assert.That(all, Has.Count.EqualTo(2), "updated, not added");
        Assert.That(await Store.UpdateSandboxMessageAsync("m-none", new ChatMessage { Text = "x" }, Clock.GetUtcNow(), None), Is.Null);
    }

    [Test]
    public async Task SandboxMessages_PostedConcurrently_AllGetDistinctSequences()
    {
        await Store.CreateSandboxConversationAsync(Conversation("c1", "c1"), None);
        var second = SecondStore();
        var posts = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? Store : second).PostSandboxMessageAsync("c1", null, new ChatMessage { Text = $"message {i}" }, null, Clock.GetUtcNow(), None));

        var posted = await Task.WhenAll(posts);

        Assert.That(posted.Select(p => p.Sequence), Is.Unique);
        var read = await Store.ListSandboxMessagesAsync("c1", 0, null, 100, None);
        Assert.That(read.Select(m => m.Sequence), Is.EqualTo(posted.Select(p => p.Sequence).Order()));
    }

    [Test]
    public async Task Drill_IsKeptOnCreate_ThroughChanges_AndInTheExport()
    {
        var (_, drill) = await Store.CreateAsync(Draft() with { IsDrill = true }, i => new IncidentChange { Incident = i }, null, None);
        var (_, real) = await Store.CreateAsync(Draft() with { Title = "Real one" }, i => new IncidentChange { Incident = i }, null, None);
        Assert.That(await Store.SaveAsync(IncidentChange.KeepingReminder(drill!.NextVersion() with { Title = "Renamed drill" }), None), Is.EqualTo(SaveResult.Saved));

        Assert.That((await Store.GetAsync(drill.Id, None))!.IsDrill, Is.True);
        Assert.That((await Store.GetAsync(real!.Id, None))!.IsDrill, Is.False);
        Assert.That((await Store.SearchIncidentsAsync(new IncidentSearch { Take = 10 }, None)).Incidents.Single(i => i.Id == drill.Id).IsDrill, Is.True);
        var snapshot = await ((IncidentBot.Storage.Transfer.IStoreTransfer)Store).ExportAsync(None);
        Assert.That(snapshot.Incidents.Single(i => i.Id == drill.Id).IsDrill, Is.True, "carried by migrate-store");
        Assert.That(snapshot.Incidents.Single(i => i.Id == real.Id).IsDrill, Is.False);
    }
}
