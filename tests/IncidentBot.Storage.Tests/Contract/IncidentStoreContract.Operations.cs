using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>What the metrics read: the outbox backlog per platform and the open incidents per severity and state.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task OutboxBacklog_PerPlatform_CountsUndeliveredAndDatesTheOldest()
    {
        var oldest = Clock.GetUtcNow();
        await Store.EnqueueAsync([Post("a", "CA"), Post("b", "CB")], null, CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(3));
        await Store.EnqueueAsync([Post("c", "CC") with { Platform = "teams" }], null, CancellationToken.None);
        var sent = (await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None)).Single(i => i.Message.ConversationId == "CB");
        await Store.MarkSentAsync(sent.Id, Clock.GetUtcNow(), CancellationToken.None);

        var backlog = await Store.GetOutboxBacklogAsync(CancellationToken.None);

        Assert.That(backlog, Is.EqualTo(new[]
        {
            new OutboxBacklog("slack", 1, oldest),
            new OutboxBacklog("teams", 1, oldest.AddMinutes(3)),
        }));
    }

    [Test]
    public async Task CountOpenIncidents_PerSeverityAndState_LeavesResolvedOut()
    {
        await Store.CreateAsync(Draft() with { Severity = Severity.Sev1 }, i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        await Store.CreateAsync(Draft() with { Severity = Severity.Sev1 }, i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        var (_, acked) = await Store.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        var (_, resolved) = await Store.CreateAsync(Draft(), i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        await Store.SaveAsync(new IncidentChange { Incident = acked! with { State = IncidentState.Acknowledged, Version = 2 } }, CancellationToken.None);
        await Store.SaveAsync(new IncidentChange { Incident = resolved! with { State = IncidentState.Resolved, Version = 2 } }, CancellationToken.None);

        var counts = await Store.CountOpenIncidentsAsync(CancellationToken.None);

        Assert.That(counts, Is.EquivalentTo(new[]
        {
            new OpenIncidentCount(Severity.Sev1, IncidentState.Declared, 2),
            new OpenIncidentCount(Severity.Sev3, IncidentState.Acknowledged, 1),
        }));
    }
}
