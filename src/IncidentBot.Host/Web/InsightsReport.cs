using System.Globalization;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Host.Web;

/// <summary>A median and a 90th percentile of one measure; null where no incident reached the milestone.</summary>
internal sealed record Spread(TimeSpan? Median, TimeSpan? P90, int Samples);

/// <summary>One month (UTC) and one severity: how many incidents were declared and how long they took.</summary>
internal sealed record MonthSeverity(string Month, Severity Severity, int Declared, Spread Acknowledge, Spread Mitigate, Spread Resolve);

/// <summary>The insights page's numbers for incidents declared in the last <see cref="Days"/> days.</summary>
internal sealed record InsightsReport(
    int Days,
    DateTimeOffset Since,
    int Total,
    IReadOnlyList<string> Months,
    IReadOnlyList<MonthSeverity> Rows,
    IReadOnlyList<(IncidentType Type, int Count)> PerType,
    IReadOnlyList<Incident> SlowestToMitigate)
{
    public static readonly int[] Ranges = [30, 90, 365];
    public const int DefaultRange = 90;
    public const int SlowestCount = 10;

    public static InsightsReport Build(IReadOnlyList<Incident> incidents, DateTimeOffset now, int days)
    {
        var since = now.AddDays(-days);
        var months = MonthsBetween(since, now);
        var byMonth = incidents.ToLookup(i => (MonthOf(i.DeclaredAt), i.Severity));
        var rows = (from month in months
                    from severity in Enum.GetValues<Severity>()
                    let members = byMonth[(month, severity)].ToList()
                    select new MonthSeverity(month, severity, members.Count,
                        SpreadOf(members, i => i.TimeToAcknowledge), SpreadOf(members, i => i.TimeToMitigate), SpreadOf(members, i => i.TimeToResolve)))
                   .ToList();
        var perType = Enum.GetValues<IncidentType>().Select(t => (t, incidents.Count(i => i.Type == t))).ToList();
        var slowest = incidents.Where(i => i.TimeToMitigate is not null)
            .OrderByDescending(i => i.TimeToMitigate).ThenBy(i => i.Id).Take(SlowestCount).ToList();
        return new InsightsReport(days, since, incidents.Count, months, rows, perType, slowest);
    }

    /// <summary>The range asked for when it is one of <see cref="Ranges"/>, else <see cref="DefaultRange"/>.</summary>
    public static int RangeOf(int? days) => days is { } d && Ranges.Contains(d) ? d : DefaultRange;

    /// <summary>Nearest-rank percentile: the smallest sample with at least <paramref name="fraction"/> of the samples at or below it.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double fraction) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static Spread SpreadOf(List<Incident> members, Func<Incident, TimeSpan?> measure)
    {
        var samples = members.Select(measure).OfType<TimeSpan>().Order().ToList();
        return new Spread(Percentile(samples, 0.5), Percentile(samples, 0.9), samples.Count);
    }

    private static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static List<string> MonthsBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var months = new List<string>();
        for (var month = new DateTime(from.UtcDateTime.Year, from.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc); month <= to.UtcDateTime; month = month.AddMonths(1))
        {
            months.Add(month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }

        return months;
    }
}
