using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Configuration;

/// <summary>Start-up checks: each failure names the configuration key it is about.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    // The embedded stores' default file names: incidentbot.db and incidentbot.litedb.
    private static readonly string SqliteName = Path.GetFileName(Storage.StoreProviders.DefaultSqliteFile);
    private static readonly string LiteDbName = Path.GetFileName(Storage.StoreProviders.DefaultLiteDbFile);

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.EffectiveProvider is not (StorageOptions.LiteDb or StorageOptions.Sqlite or StorageOptions.Postgres))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.Section}:Provider must be '{StorageOptions.LiteDb}', '{StorageOptions.Sqlite}' or '{StorageOptions.Postgres}', not '{options.EffectiveProvider}'.");
        }

        if (string.IsNullOrWhiteSpace(options.EffectiveConnectionString))
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString must not be empty.");
        }

        if (options.EffectiveProvider == StorageOptions.LiteDb)
        {
            try
            {
                _ = Storage.LiteDb.LiteDbIncidentStore.FilenameOf(options.EffectiveConnectionString);
            }
            catch (ArgumentException)
            {
                return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString must name the LiteDB file, like {Storage.StoreProviders.DefaultLiteDbConnectionString}.");
            }
        }

        if (options.EffectiveProvider == StorageOptions.Sqlite && !IsSqliteConnectionString(options.EffectiveConnectionString))
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is not a SQLite connection string, like {Storage.StoreProviders.DefaultSqliteConnectionString} (set {StorageOptions.Section}:Provider for LiteDb or Postgres).");
        }

        if (OtherEmbeddedStoreBeside(options) is { } found)
        {
            return ValidateOptionsResult.Fail(found);
        }

        if (options.EffectiveProvider == StorageOptions.Postgres)
        {
            try
            {
                var postgres = new Npgsql.NpgsqlConnectionStringBuilder(options.EffectiveConnectionString);
                if (string.IsNullOrEmpty(postgres.Host))
                {
                    return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString must name a PostgreSQL Host when Provider is Postgres.");
                }
            }
            catch (ArgumentException)
            {
                return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is not a PostgreSQL connection string.");
            }
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>
    /// The embedded file under its default name (<c>incidentbot.db</c>, <c>incidentbot.litedb</c>) not made yet, beside the
    /// other embedded store's file of that name: the provider was switched, so the bot would start empty next to its
    /// incidents. It does not start; the message says how to keep the data. (The image ran LiteDB on its volume while
    /// LiteDB was the default.) Files named otherwise are left alone: two stores side by side there are meant.
    /// </summary>
    private static string? OtherEmbeddedStoreBeside(StorageOptions options)
    {
        var (file, name, otherName, otherProvider) = options.EffectiveProvider switch
        {
            StorageOptions.Sqlite => (SqliteFile(options.EffectiveConnectionString), SqliteName, LiteDbName, StorageOptions.LiteDb),
            StorageOptions.LiteDb => (Storage.LiteDb.LiteDbIncidentStore.FilenameOf(options.EffectiveConnectionString), LiteDbName, SqliteName, StorageOptions.Sqlite),
            _ => (null, "", "", ""),
        };
        if (string.IsNullOrEmpty(file) || Path.GetFileName(file) != name || StorageOptions.HoldsData(file))
        {
            return null;
        }

        var full = Path.GetFullPath(file);
        var beside = Path.Combine(Path.GetDirectoryName(full)!, otherName);
        return StorageOptions.HoldsData(beside)
            ? $"{StorageOptions.Section}:Provider is {options.EffectiveProvider}, whose file {full} does not exist yet, but {beside} beside it holds a {otherProvider} store: set {StorageOptions.Section}:Provider={otherProvider} (and its ConnectionString) to keep using it, or copy it over first with migrate-store."
            : null;
    }

    /// <summary>The file a SQLite connection string (already checked to parse) opens; null for memory and <c>file:</c> URIs.</summary>
    private static string? SqliteFile(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        return builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || source is "" or ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? null : source;
    }

    private static bool IsSqliteConnectionString(string connectionString)
    {
        try
        {
            _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return false;
        }
    }
}

internal sealed class RemindersOptionsValidator : IValidateOptions<RemindersOptions>
{
    public ValidateOptionsResult Validate(string? name, RemindersOptions options)
    {
        try
        {
            _ = options.ToPolicy();
        }
        catch (FormatException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }

        return options.MitigatedFactor is < 1 or > 100
            ? ValidateOptionsResult.Fail($"{RemindersOptions.Section}:MitigatedFactor must be between 1 and 100.")
            : ValidateOptionsResult.Success;
    }
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    // A short key is guessable; refuse it rather than protect the API with it.
    private const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        options.Keys.Any(k => !string.IsNullOrEmpty(k) && k.Trim().Length < MinimumKeyLength)
            ? ValidateOptionsResult.Fail($"{ApiOptions.Section}:Keys entries must be at least {MinimumKeyLength} characters.")
            : ValidateOptionsResult.Success;
}

internal sealed class PostmortemOptionsValidator : IValidateOptions<PostmortemOptions>
{
    public ValidateOptionsResult Validate(string? name, PostmortemOptions options) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PostmortemOptions.Section}:TimeZone must be a time zone name such as Europe/Paris, not '{options.TimeZone}'.");
}

internal sealed class DispatcherSettingsValidator : IValidateOptions<Delivery.DispatcherSettings>
{
    // Polly's own bounds: a circuit opens for at least half a second, a call timeout is at least 10 ms.
    private static readonly TimeSpan MinimumBreak = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinimumCallTimeout = TimeSpan.FromMilliseconds(10);

    public ValidateOptionsResult Validate(string? name, Delivery.DispatcherSettings options)
    {
        var failures = new List<string>();
        void Require(bool valid, string key, string rule)
        {
            if (!valid)
            {
                failures.Add($"{Delivery.DispatcherSettings.Section}:{key} must be {rule}.");
            }
        }

        Require(options.BatchSize >= 1, nameof(options.BatchSize), "at least 1");
        Require(options.MaxParallel >= 1, nameof(options.MaxParallel), "at least 1");
        Require(options.Lease > TimeSpan.Zero, nameof(options.Lease), "positive");
        Require(options.CallTimeout >= MinimumCallTimeout, nameof(options.CallTimeout), "at least 00:00:00.01");
        Require(options.InProcessRetries >= 0, nameof(options.InProcessRetries), "0 or more");
        Require(options.InProcessBaseDelay >= TimeSpan.Zero, nameof(options.InProcessBaseDelay), "0 or more");
        Require(options.MaxInProcessWait >= TimeSpan.Zero, nameof(options.MaxInProcessWait), "0 or more");
        Require(options.MaxBackoff > TimeSpan.Zero, nameof(options.MaxBackoff), "positive");
        Require(options.BreakDuration >= MinimumBreak, nameof(options.BreakDuration), "at least 00:00:00.5");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
