using System.Globalization;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.FollowUps;

/// <summary>Section <c>IncidentBot:FollowUps</c>: when the weekly digest of open follow-ups goes to the announcement channels.</summary>
public sealed class FollowUpOptions
{
    public const string Section = "IncidentBot:FollowUps";
    public const string DefaultDigestDay = nameof(DayOfWeek.Monday);
    public const string DefaultDigestTime = "09:00";
    public const string DefaultTimeZone = "UTC";

    /// <summary>Day of the week (Monday ... Sunday), or <c>Off</c> for no digest.</summary>
    public string DigestDay { get; set; } = DefaultDigestDay;

    /// <summary>Time of day as HH:mm, in <see cref="TimeZone"/>.</summary>
    public string DigestTime { get; set; } = DefaultDigestTime;

    public string TimeZone { get; set; } = DefaultTimeZone;

    public bool DigestOff => string.Equals(DigestDay, "Off", StringComparison.OrdinalIgnoreCase);

    public DayOfWeek Day => Enum.Parse<DayOfWeek>(DigestDay, ignoreCase: true);

    public TimeOnly Time => TimeOnly.ParseExact(DigestTime, "HH:mm", CultureInfo.InvariantCulture);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

internal sealed class FollowUpOptionsValidator : IValidateOptions<FollowUpOptions>
{
    public ValidateOptionsResult Validate(string? name, FollowUpOptions options)
    {
        if (!options.DigestOff && (!Enum.TryParse<DayOfWeek>(options.DigestDay, ignoreCase: true, out _) || int.TryParse(options.DigestDay, CultureInfo.InvariantCulture, out _)))
        {
            return ValidateOptionsResult.Fail($"{FollowUpOptions.Section}:DigestDay must be a day such as Monday, or Off, not '{options.DigestDay}'.");
        }

        if (!TimeOnly.TryParseExact(options.DigestTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return ValidateOptionsResult.Fail($"{FollowUpOptions.Section}:DigestTime must be a time of day as HH:mm, not '{options.DigestTime}'.");
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{FollowUpOptions.Section}:TimeZone must be a time zone name such as Europe/Paris, not '{options.TimeZone}'.");
    }
}
