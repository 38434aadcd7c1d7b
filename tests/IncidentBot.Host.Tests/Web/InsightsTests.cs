using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Web;
using IncidentBot.Testing;
using Moq;

namespace IncidentBot.Host.Tests.Web;

public sealed class InsightsTests
{
    private static Incident Mitigated(DateTimeOffset declared, double minutes, Severity severity = Severity.Sev2) => new()
    {
        Platform = "slack",
        WorkspaceId = "T1",
        Title = $"after {minutes}",
        Severity = severity,
        Commander = new Person("U1", "Ada"),
        DeclaredBy = new Person("U1", "Ada"),
        DeclaredAt = declared,
        MitigatedAt = declared.AddMinutes(minutes),
    };

    [Test]
    public void Percentile_NearestRank()
    {
        var samples = Enumerable.Range(1, 10).Select(m => TimeSpan.FromMinutes(m)).ToList();

        Assert.That(InsightsReport.Percentile(samples, 0.5), Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(InsightsReport.Percentile(samples, 0.9), Is.EqualTo(TimeSpan.FromMinutes(9)));
        Assert.That(InsightsReport.Percentile([TimeSpan.FromMinutes(7)], 0.9), Is.EqualTo(TimeSpan.FromMinutes(7)));
        Assert.That(InsightsReport.Percentile([], 0.5), Is.Null);
    }

    [Test]
    public void Build_PerMonthAndSeverity_EveryMonthOfTheRange()
    {
        var now = new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);
        var incidents = new[]
        {
            Mitigated(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), 10),
            Mitigated(new DateTimeOffset(2026, 10, 2, 0, 0, 0, TimeSpan.Zero), 30),
            Mitigated(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), 5, Severity.Sev1),
        };

        var report = InsightsReport.Build(incidents, now, 90);

        Assert.That(report.Months, Is.EqualTo(new[] { "2026-08", "2026-09", "2026-10", "2026-11" }));
        var october = report.Rows.Single(r => r.Month == "2026-10" && r.Severity == Severity.Sev2);
        Assert.That(october.Declared, Is.EqualTo(2));
        Assert.That(october.Mitigate.Median, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(october.Mitigate.P90, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(october.Acknowledge.Median, Is.Null, "none acknowledged");
        Assert.That(report.SlowestToMitigate.Select(i => i.Title), Is.EqualTo(new[] { "after 30", "after 10", "after 5" }));
        Assert.That(InsightsReport.RangeOf(7), Is.EqualTo(InsightsReport.DefaultRange));
    }

    [Test]
    public async Task Cache_SharesAReportForItsMaxAge_ThenServesTheOldOneWhileRebuilding()
    {
        var clock = TestClock.Create();
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        var second = new TaskCompletionSource<IReadOnlyList<Incident>>();
        store.SetupSequence(s => s.ListDeclaredSinceAsync(It.IsAny<DateTimeOffset>(), null, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync([Mitigated(clock.GetUtcNow().AddDays(-1), 10)])
            .Returns(second.Task);
        var cache = new InsightsCache(store.Object, clock);

        var first = await cache.GetAsync(30, null, null, CancellationToken.None);
        var again = await cache.GetAsync(30, null, null, CancellationToken.None);
        clock.Advance(InsightsCache.MaxAge);
        var stale = await cache.GetAsync(30, null, null, CancellationToken.None);
        var meanwhile = await cache.GetAsync(30, null, null, CancellationToken.None);
        second.SetResult([]);

        Assert.That(again, Is.SameAs(first));
        Assert.That(stale, Is.SameAs(first), "served while the new one builds");
        Assert.That(meanwhile, Is.SameAs(first));
        Assert.That(await Poll.UntilAsync(async () => (await cache.GetAsync(30, null, null, CancellationToken.None)).Total == 0), Is.True, "the rebuilt one once done");
        store.Verify(s => s.ListDeclaredSinceAsync(It.IsAny<DateTimeOffset>(), null, null, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
