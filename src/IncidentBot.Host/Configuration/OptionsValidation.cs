using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Configuration;

/// <summary>Start-up checks: each failure names the configuration key it is about.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider != StorageOptions.Sqlite)
        {
            // PostgreSQL arrives with the scale-out work; until then say so instead of starting half-configured.
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:Provider must be '{StorageOptions.Sqlite}' in this build, not '{options.Provider}'.");
        }

        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString must not be empty.")
            : ValidateOptionsResult.Success;
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
