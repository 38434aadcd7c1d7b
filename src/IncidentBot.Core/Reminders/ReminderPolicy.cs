using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Reminders;

/// <summary>When the commander is next nudged for a status update.</summary>
public sealed class ReminderPolicy
{
    public static readonly TimeSpan DefaultSev1 = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultSev2 = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan DefaultSev3 = TimeSpan.FromMinutes(60);
    public const double DefaultMitigatedFactor = 2.0;

    private readonly TimeSpan?[] _intervals;
    private readonly double _mitigatedFactor;

    /// <param name="intervals">Interval per severity; null or zero means no reminders for it.</param>
    public ReminderPolicy(IReadOnlyDictionary<Severity, TimeSpan?> intervals, double mitigatedFactor = DefaultMitigatedFactor)
    {
        _intervals = new TimeSpan?[5];
        foreach (var (severity, interval) in intervals)
        {
            _intervals[(int)severity] = interval is { } i && i > TimeSpan.Zero ? i : null;
        }

        _mitigatedFactor = mitigatedFactor;
    }

    public static ReminderPolicy Default { get; } = new(new Dictionary<Severity, TimeSpan?>
    {
        [Severity.Sev1] = DefaultSev1,
        [Severity.Sev2] = DefaultSev2,
        [Severity.Sev3] = DefaultSev3,
        [Severity.Sev4] = null,
    });

    /// <summary>The interval for this incident as it stands now, or null when it is not nudged.</summary>
    public TimeSpan? IntervalFor(Incident incident)
    {
        if (!incident.IsOpen || _intervals[(int)incident.Severity] is not { } interval)
        {
            return null;
        }

        return incident.State == IncidentState.Mitigated ? interval * _mitigatedFactor : interval;
    }

    /// <summary>The next due instant counted from <paramref name="from"/>, or null when none.</summary>
    public DateTimeOffset? NextDue(Incident incident, DateTimeOffset from) => IntervalFor(incident) is { } i ? from + i : null;
}
