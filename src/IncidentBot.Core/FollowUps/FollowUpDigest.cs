using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.FollowUps;

/// <summary>The weekly digest of open and overdue follow-ups for the announcement channel; nothing when none is open.</summary>
public static class FollowUpDigest
{
    /// <summary>The most follow-ups one digest lists; the rest are counted.</summary>
    public const int MaxLines = 50;

    public static ChatMessage? Build(IEnumerable<Incident> incidents, DateOnly today)
    {
        var open = incidents
            .SelectMany(i => i.FollowUps.Where(f => f.IsOpen).Select(f => (Incident: i, FollowUp: f)))
            .OrderByDescending(x => x.FollowUp.IsOverdue(today))
            .ThenBy(x => x.FollowUp.Due ?? DateOnly.MaxValue)
            .ThenBy(x => x.FollowUp.Number)
            .ToList();
        if (open.Count == 0)
        {
            return null;
        }

        var overdue = open.Count(x => x.FollowUp.IsOverdue(today));
        var lines = open.Take(MaxLines).Select(x => RichText.Of(
            $"{x.Incident.Key} {Run.Bold(x.FollowUp.Number.ToString(CultureInfo.InvariantCulture))} {x.FollowUp.Text} | {Owner(x.FollowUp, today)} | due {FollowUpMessages.DueText(x.FollowUp)}{(x.FollowUp.IsOverdue(today) ? " (overdue)" : "")}")).ToList();
        if (open.Count > MaxLines)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"... and {open.Count - MaxLines} more."));
        }

        return new ChatMessage
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Follow-ups: {open.Count} open, {overdue} overdue"),
            Text = RichText.Join(Run.LineBreak, lines),
            Mentions = open.Where(x => x.FollowUp.IsOverdue(today) && x.FollowUp.Owner is not null).Select(x => x.FollowUp.Owner!.Id).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// An overdue follow-up's owner is mentioned where the line names them: a digest belongs to no incident, so a platform
    /// that shows mentions by name learns the name there. Others are named as text, so they are not called.
    /// </summary>
    private static RichText Owner(FollowUp followUp, DateOnly today) =>
        followUp.IsOverdue(today) && followUp.Owner is { } owner ? RichText.Of($"{Run.Mention(owner)}") : FollowUpMessages.OwnerName(followUp);

    /// <summary>
    /// The latest digest instant at or before <paramref name="now"/>: <paramref name="day"/> at <paramref name="time"/> in
    /// <paramref name="zone"/>. A time the zone skips (a spring-forward gap) moves on by the gap's hour.
    /// </summary>
    public static DateTimeOffset LatestDue(DateTimeOffset now, DayOfWeek day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var date = DateOnly.FromDateTime(local.DateTime).AddDays(-(((int)local.DayOfWeek - (int)day + 7) % 7));
        for (var week = 0; week < 3; week++, date = date.AddDays(-7))
        {
            var wall = date.ToDateTime(time);
            if (zone.IsInvalidTime(wall))
            {
                wall = wall.AddHours(1);
            }

            var due = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (due <= now)
            {
                return due;
            }
        }

        throw new InvalidOperationException("No digest instant in the last three weeks.");
    }
}
