using System.Globalization;
using System.Text;

namespace IncidentBot.Core.Incidents;

/// <summary>
/// Incident channel names: <c>inc-&lt;number&gt;-&lt;slug&gt;</c>, lowercase, only <c>a-z 0-9 - _</c>
/// (Slack's rule), accents folded, within the platform's length, never an empty slug part.
/// </summary>
public static class ChannelNames
{
    public const int SlackMaxLength = 80;

    public static string For(int number, string title, int maxLength = SlackMaxLength)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"inc-{number}");
        var slug = Slug(title);
        var room = maxLength - prefix.Length - 1;
        if (slug.Length == 0 || room <= 0)
        {
            return prefix;
        }

        if (slug.Length > room)
        {
            slug = slug[..room].TrimEnd('-', '_');
        }

        return slug.Length == 0 ? prefix : $"{prefix}-{slug}";
    }

    /// <summary>The name to try after Slack answered <c>name_taken</c>: <c>-2</c>, <c>-3</c>, ... within the length.</summary>
    public static string WithSuffix(string name, int attempt, int maxLength = SlackMaxLength)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{attempt}");
        var stem = name.Length + suffix.Length > maxLength ? name[..(maxLength - suffix.Length)].TrimEnd('-', '_') : name;
        return stem + suffix;
    }

    private static string Slug(string title)
    {
        var decomposed = title.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder(decomposed.Length);
        var pendingDash = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var folded = Fold(char.ToLowerInvariant(c));
            if (folded is null)
            {
                pendingDash = slug.Length > 0;
                continue;
            }

            if (pendingDash)
            {
                slug.Append('-');
                pendingDash = false;
            }

            slug.Append(folded);
        }

        return slug.ToString().Trim('-', '_');
    }

    /// <summary>The ASCII for a lower-case character, or null when it is a separator.</summary>
    private static string? Fold(char c) => c switch
    {
        >= 'a' and <= 'z' or >= '0' and <= '9' or '_' => c.ToString(),
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' or 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        _ => null,
    };
}
