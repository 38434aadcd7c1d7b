using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Storage.Tests.Transfer;

/// <summary>The archive schedule and the sandbox, filled in a store and checked on its copies.</summary>
public sealed partial class StoreMigrationTests
{
    private static readonly TimeSpan ArchiveLease = TimeSpan.FromMinutes(10);
    private static readonly string[] SandboxViewers = ["", "sb-ada"];
    private static readonly CancellationToken None = CancellationToken.None;

    [TestCase(StoreProviders.LiteDb, "target.litedb", "Filename=")]
    [TestCase(StoreProviders.Sqlite, "target.db", "Data Source=")]
    public async Task Migrate_IntoAStoreHoldingOnlySandboxRows_Refused(string provider, string file, string key)
    {
        var source = await OpenAsync(StoreProviders.Sqlite, $"Data Source={Path.Combine(_folder, "bot.db")}");
        await FillAsync(source);
        var target = await OpenAsync(provider, key + Path.Combine(_folder, file));
        await FillSandboxAsync(target);
        using var output = new StringWriter();

        Assert.That(await StoreMigration.CopyAsync(source, target, output, None), Is.EqualTo(StoreMigration.TargetNotEmpty));

        Assert.That(output.ToString(), Does.Contain("holds 6 rows already"), "two conversations and four messages");
        Assert.That(await target.GetAsync(1, None), Is.Null);
    }

    /// <summary>When the last of three incidents in T3 closed: the first is archived, the second claimed, the third waits.</summary>
    private DateTimeOffset _lastClosedAt;

    private async Task<(long Done, long Claimed, long Waiting)> FillArchivesAsync(IIncidentStore store)
    {
        var ids = new List<long>();
        foreach (var title in new[] { "archived", "claimed", "waiting" })
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var (_, incident) = await store.CreateAsync(Draft("T3") with { Title = title }, i => new IncidentChange { Incident = i }, null, None);
            await store.SaveAsync(new IncidentChange { Incident = incident! with { Version = 2, State = IncidentState.Closed, ClosedAt = _clock.GetUtcNow() } }, None);
            ids.Add(incident!.Id);
        }

        _lastClosedAt = _clock.GetUtcNow();
        await store.CompleteChannelArchiveAsync(ids[0], None);
        var claimed = await store.ClaimDueChannelArchivesAsync("slack", _lastClosedAt, _lastClosedAt, 1, ArchiveLease, None);
        Assert.That(claimed.Single().IncidentId, Is.EqualTo(ids[1]), "the fill claims the second");
        return (ids[0], ids[1], ids[2]);
    }

    /// <summary>On a copy: each channel comes due once, at its own time (closed_at, claim and done carried), and never again.</summary>
    private async Task AssertArchivesAsync(IIncidentStore copy, (long Done, long Claimed, long Waiting) archives, string name)
    {
        var hour = TimeSpan.FromHours(1);
        Assert.That(await copy.ClaimDueChannelArchivesAsync("slack", _lastClosedAt.AddTicks(-1), _lastClosedAt, 10, hour, None), Is.Empty,
            $"{name}: the waiting one not before its close, the claimed one not before its claim ends, the archived one never");
        Assert.That((await copy.ClaimDueChannelArchivesAsync("slack", _lastClosedAt, _lastClosedAt, 10, hour, None)).Select(a => a.IncidentId),
            Is.EqualTo(new[] { archives.Waiting }), $"{name}: the waiting one at its close");
        Assert.That(await copy.ClaimDueChannelArchivesAsync("slack", _lastClosedAt, _lastClosedAt + ArchiveLease - TimeSpan.FromTicks(1), 10, hour, None), Is.Empty,
            $"{name}: the copied claim still holds");
        Assert.That((await copy.ClaimDueChannelArchivesAsync("slack", _lastClosedAt, _lastClosedAt + ArchiveLease, 10, hour, None)).Select(a => a.IncidentId),
            Is.EqualTo(new[] { archives.Claimed }), $"{name}: the claimed one when its claim ends");

        await copy.CompleteChannelArchiveAsync(archives.Claimed, None);
        await copy.CompleteChannelArchiveAsync(archives.Waiting, None);
        Assert.That(await copy.ClaimDueChannelArchivesAsync("slack", _lastClosedAt.AddYears(1), _lastClosedAt.AddYears(1), 10, hour, None), Is.Empty, $"{name}: each archived once");
    }

    /// <summary>Two conversations (created in the other order than their ids sort), public, private, file and updated messages.</summary>
    private async Task FillSandboxAsync(IIncidentStore store)
    {
        await store.CreateSandboxConversationAsync(new SandboxConversation("sandbox-announcements", "announcements", "News", _clock.GetUtcNow()), None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await store.CreateSandboxConversationAsync(new SandboxConversation("inc-1-checkout", "inc-1-checkout", "Checkout", _clock.GetUtcNow().AddTicks(3)), None);
        await store.SetSandboxTopicAsync("inc-1-checkout", "INC-1 · Sev2 · Acknowledged", None);
        var header = await store.PostSandboxMessageAsync("inc-1-checkout", null, new ChatMessage { Title = "INC-1", Text = RichText.Of($"is {Run.Bold("Declared")}") }, null, _clock.GetUtcNow(), None);
        await store.PostSandboxMessageAsync("inc-1-checkout", "sb-ada", new ChatMessage { Text = "only Ada" }, null, _clock.GetUtcNow(), None);
        await store.PostSandboxMessageAsync("sandbox-announcements", null, new ChatMessage { Text = "INC-1 declared" }, null, _clock.GetUtcNow(), None);
        await store.PostSandboxMessageAsync("inc-1-checkout", null, new ChatMessage { Text = "Postmortem" }, new ChatFile("inc-1.md", "INC-1 postmortem", "# INC-1"), _clock.GetUtcNow(), None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await store.UpdateSandboxMessageAsync(header.MessageRef, new ChatMessage { Title = "INC-1", Text = "is Acknowledged" }, _clock.GetUtcNow(), None);
    }

    /// <summary>What the sandbox page shows: the conversations, and each one's messages in order for everyone and for Ada.</summary>
    private static async Task<List<string>> SandboxViewAsync(IIncidentStore store)
    {
        var view = new List<string>();
        foreach (var conversation in await store.ListSandboxConversationsAsync(None))
        {
            view.Add(conversation.ToString());
            foreach (var viewer in SandboxViewers)
            {
                view.AddRange((await store.ListSandboxMessagesAsync(conversation.Id, 0, viewer == "" ? null : viewer, 100, None)).Select(m =>
                    $"{viewer}: {m.Sequence} {m.ConversationId} {m.MessageRef} {m.RecipientId} {m.Message.Title?.PlainText} {m.Message.Text.PlainText} {m.File} {m.PostedAt:O} {m.EditedAt:O}"));
            }
        }

        return view;
    }

    /// <summary>On a copy: a new post comes after every copied message, with a ref of its own, and is what a reader who saw everything reads next.</summary>
    private static async Task AssertSandboxGoesOnAsync(IIncidentStore copy, IReadOnlyList<string> copiedRefs, long lastSequence, DateTimeOffset at, string name)
    {
        var posted = await copy.PostSandboxMessageAsync("inc-1-checkout", null, new ChatMessage { Text = "after" }, null, at, None);

        Assert.That(posted.Sequence, Is.GreaterThan(lastSequence), name);
        Assert.That(copiedRefs, Does.Not.Contain(posted.MessageRef), name);
        Assert.That((await copy.ListSandboxMessagesAsync("inc-1-checkout", lastSequence, null, 100, None)).Select(m => m.MessageRef), Is.EqualTo(new[] { posted.MessageRef }), name);
    }
}
