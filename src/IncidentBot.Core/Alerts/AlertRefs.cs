using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.Core.Alerts;

/// <summary>
/// The timeline's source references that tie alerts to an incident: one for the group (on the entry that opened the
/// incident, so the group's incident is found by it) and one per alert and status (so a repeated notification adds
/// nothing). Group keys can be long and carry label values: they are hashed, never stored as they came.
/// </summary>
public static class AlertRefs
{
    /// <summary>The reference of the group's opening entry.</summary>
    public static string Group(AlertNotification notification) => $"alertgroup:{GroupHash(notification)}";

    /// <summary>The reference of one alert in one status: a firing after a resolve starts again, so it is new.</summary>
    public static string Alert(AlertNotification notification, Alert alert) =>
        string.Create(CultureInfo.InvariantCulture, $"alert:{GroupHash(notification)}:{Hash(alert.Fingerprint)}:{(alert.Status == AlertStatus.Firing ? "f" : "r")}:{alert.StartsAt?.UtcTicks ?? 0}");

    /// <summary>The inbound id that lets only one request open the group's next incident (after <paramref name="previousIncidentId"/>).</summary>
    public static string Opening(AlertNotification notification, long previousIncidentId) =>
        string.Create(CultureInfo.InvariantCulture, $"{Group(notification)}:after:{previousIncidentId}");

    private static string GroupHash(AlertNotification notification) => Hash($"{notification.Source.ToLowerInvariant()}\n{notification.GroupKey}");

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
}
