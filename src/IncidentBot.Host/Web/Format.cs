using System.Globalization;

namespace IncidentBot.Host.Web;

/// <summary>How the pages write instants and durations.</summary>
internal static class Format
{
    public const string None = "–";

    public static string Instant(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Instant(DateTimeOffset? at, TimeZoneInfo zone) => at is { } instant ? Instant(instant, zone) : None;

    /// <summary>A duration in its two largest units: 2d 3h, 1h 05m, 4m 10s.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return None;
        }

        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalDays}d {d.Hours}h")
            : d.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h {d.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}m {d.Seconds:00}s");
    }

    /// <summary>Minutes with one decimal, for tables and chart labels.</summary>
    public static string Minutes(TimeSpan? duration) =>
        duration is { } d ? d.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) : None;

    /// <summary>A link people may follow: absolute http(s) only, so a stored value can never become a javascript: link.</summary>
    public static string? SafeLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.AbsoluteUri : null;
}
