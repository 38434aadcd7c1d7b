using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Storage;

namespace IncidentBot.Host.Configuration;

/// <summary>Section <c>IncidentBot:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "IncidentBot:Storage";
    public const string LiteDb = StoreProviders.LiteDb;
    public const string Sqlite = StoreProviders.Sqlite;
    public const string Postgres = StoreProviders.Postgres;
    public const string DefaultProvider = Sqlite;

    /// <summary>
    /// Empty: <see cref="DefaultProvider"/>, except where the bot ran while LiteDB was the default: with no connection string
    /// configured and only LiteDB's default file holding data, or with a LiteDB connection string (<c>Filename=</c>, LiteDB's
    /// key), the bot stays on LiteDB instead of starting empty (or opening a LiteDB file as SQLite).
    /// </summary>
    public string Provider { get; set; } = "";

    /// <summary>The provider in force (see <see cref="Provider"/>).</summary>
    public string EffectiveProvider =>
        !string.IsNullOrWhiteSpace(Provider) ? Provider
        : string.IsNullOrWhiteSpace(ConnectionString) ? (DefaultFileHoldsData(LiteDb) && !DefaultFileHoldsData(Sqlite) ? LiteDb : DefaultProvider)
        : NamesLiteDbFile(ConnectionString) ? LiteDb
        : DefaultProvider;

    /// <summary>Empty: the embedded provider's default file (<c>data/incidentbot.db</c> or <c>data/incidentbot.litedb</c>, relative to the working directory).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Where <c>POST /api/store/backup</c> writes its copies (relative to the working directory).</summary>
    public string BackupFolder { get; set; } = "data/backups";

    /// <summary>The connection string in force: the one configured, else the provider's default.</summary>
    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString) ? StoreProviders.DefaultConnectionString(EffectiveProvider) ?? "" : ConnectionString;

    /// <summary>A file there with something in it (a crash can leave one of zero bytes, which holds nothing).</summary>
    internal static bool HoldsData(string path) => File.Exists(path) && new FileInfo(path).Length > 0;

    private static bool DefaultFileHoldsData(string provider) => HoldsData(StoreProviders.DefaultFile(provider)!);

    private static bool NamesLiteDbFile(string connectionString) =>
        connectionString.Split(';').Any(part => part.Split('=')[0].Trim().Equals("Filename", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Section <c>IncidentBot:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "IncidentBot:Api";

    /// <summary>Bearer keys accepted on /api/*; none means /api/* answers 401.</summary>
    public List<string> Keys { get; set; } = [];
}

/// <summary>Section <c>IncidentBot:Reminders</c>: interval per severity as hh:mm:ss; empty or 0 means none.</summary>
public sealed class RemindersOptions
{
    public const string Section = "IncidentBot:Reminders";

    public string? Sev1 { get; set; } = Format(ReminderPolicy.DefaultSev1);

    public string? Sev2 { get; set; } = Format(ReminderPolicy.DefaultSev2);

    public string? Sev3 { get; set; } = Format(ReminderPolicy.DefaultSev3);

    public string? Sev4 { get; set; }

    /// <summary>Mitigated incidents are nudged at this multiple of their interval.</summary>
    public double MitigatedFactor { get; set; } = ReminderPolicy.DefaultMitigatedFactor;

    /// <summary>Parses an interval; null for none, or throws naming the key.</summary>
    public static TimeSpan? ParseInterval(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() == "0")
        {
            return null;
        }

        if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var interval) || interval < TimeSpan.Zero)
        {
            throw new FormatException($"{Section}:{key} must be an interval like 00:15:00 (or empty / 0 for none), not '{value}'.");
        }

        return interval == TimeSpan.Zero ? null : interval;
    }

    /// <summary>An interval as configuration spells it (hh:mm:ss).</summary>
    public static string Format(TimeSpan interval) => interval.ToString("c", CultureInfo.InvariantCulture);

    public ReminderPolicy ToPolicy() => new(
        new Dictionary<Severity, TimeSpan?>
        {
            [Severity.Sev1] = ParseInterval(nameof(Sev1), Sev1),
            [Severity.Sev2] = ParseInterval(nameof(Sev2), Sev2),
            [Severity.Sev3] = ParseInterval(nameof(Sev3), Sev3),
            [Severity.Sev4] = ParseInterval(nameof(Sev4), Sev4),
        },
        MitigatedFactor);
}

/// <summary>Section <c>IncidentBot:Postmortem</c>.</summary>
public sealed class PostmortemOptions
{
    public const string Section = "IncidentBot:Postmortem";

    /// <summary>IANA time zone of timelines when none is asked for, e.g. Europe/Paris.</summary>
    public string TimeZone { get; set; } = "UTC";
}

/// <summary>Section <c>IncidentBot:Metrics</c>: the Prometheus scraping endpoint.</summary>
public sealed class MetricsOptions
{
    public const string Section = "IncidentBot:Metrics";
    public const bool DefaultEnabled = true;

    /// <summary>Serve <c>GET /metrics</c> (Prometheus text format) and record IncidentBot's instruments.</summary>
    public bool Enabled { get; set; } = DefaultEnabled;
}
