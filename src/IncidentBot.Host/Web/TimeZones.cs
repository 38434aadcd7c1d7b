namespace IncidentBot.Host.Web;

/// <summary>The time zones a reader can pick for a timeline: the system's IANA names.</summary>
internal static class TimeZones
{
    private static readonly Lazy<IReadOnlyList<string>> Names = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

    public static IReadOnlyList<string> All => Names.Value;

    /// <summary>The zone of that name, or null for none or an unknown one.</summary>
    public static TimeZoneInfo? Find(string? name) =>
        !string.IsNullOrWhiteSpace(name) && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : null;
}
