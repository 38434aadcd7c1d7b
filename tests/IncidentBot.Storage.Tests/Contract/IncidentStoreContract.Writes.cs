using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>A change's writes as one unit, however the store words them (PostgreSQL: one statement).</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task Save_StaleChangeWithEverything_WritesNothing_AndFreesItsInboundId()
    {
        var incident = await CreateAsync();
        var due = Clock.GetUtcNow().AddMinutes(30);
        Assert.That(await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, NextReminderAt = due }, CancellationToken.None), Is.EqualTo(SaveResult.Saved));
        var pending = await Store.CountPendingOutboxAsync(CancellationToken.None);

        var stale = new IncidentChange
        {
            Incident = incident with { Version = 2, Title = "stale" },
            Entries = [Entry("a"), Entry("b")],
            Messages = [Post("m1"), Post("m2")],
            NextReminderAt = due.AddHours(5),
            InboundEventId = "EvStale",
        };

        Assert.That(await Store.SaveAsync(stale, CancellationToken.None), Is.EqualTo(SaveResult.Conflict));
        Assert.That(await Store.GetTimelineAsync(incident.Id, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await Store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(pending));
        Assert.That((await Store.GetAsync(incident.Id, CancellationToken.None))!.Title, Is.Not.EqualTo("stale"));
        Assert.That(await Store.ClaimDueRemindersAsync(due.AddMinutes(1), 10, TimeSpan.FromMinutes(1), CancellationToken.None), Has.Count.EqualTo(1), "the reminder kept its time");
        Assert.That(await Store.TryRecordInboundAsync("EvStale", CancellationToken.None), Is.True, "the inbound id of a change not saved can come again");
    }

    [Test]
    public async Task Save_EntriesAndMessagesAtOneInstant_KeepTheirOrder()
    {
        var incident = await CreateAsync();

        var change = new IncidentChange
        {
            Incident = incident with { Version = 2 },
            Entries = [Entry("first"), Entry("second"), Entry("third")],
            Messages = [Post("one", "CX"), Post("two", "CX"), Post("three", "CX")],
            NextReminderAt = null,
        };
        Assert.That(await Store.SaveAsync(change, CancellationToken.None), Is.EqualTo(SaveResult.Saved));

        var texts = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Select(e => e.Text).ToList();
        Assert.That(texts, Is.EqualTo(new[] { "declared", "first", "second", "third" }));
        var delivered = new List<string>();
        while (await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None) is { Count: > 0 } claimed)
        {
            foreach (var item in claimed)
            {
                delivered.Add(item.Message.Message!.Text.PlainText);
                await Store.MarkSentAsync(item.Id, Clock.GetUtcNow(), CancellationToken.None);
            }
        }

        Assert.That(delivered, Is.EqualTo(new[] { "one", "two", "three" }), "one conversation's messages leave in the order written");
    }
}
