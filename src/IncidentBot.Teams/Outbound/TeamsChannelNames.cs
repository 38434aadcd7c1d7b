using System.Globalization;
using System.Text;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Teams.Outbound;

/// <summary>
/// Channel display names within Teams' rules (limits-specifications-teams): at most 50 characters, none of
/// <c>~ # % &amp; * { } + / \ : &lt; &gt; ? | ' " ,</c> nor <c>..</c>, no control characters, not starting with
/// <c>_</c> or <c>.</c>, not ending with <c>.</c>, no reserved word.
/// </summary>
public static class TeamsChannelNames
{
    public const int MaxLength = 50;

    private const string Forbidden = "~#%&*{}+/\\:<>?|'\",";
    private const string ReservedSuffix = "_";

    private static readonly HashSet<string> ReservedWords = new(BuildReserved(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The name as Teams accepts it; <c>inc-12-checkout-errors</c> comes back unchanged.</summary>
    public static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c <= 0x1F || c is >= (char)0x7F and <= (char)0x9F)
            {
                continue;
            }

            text.Append(Forbidden.Contains(c, StringComparison.Ordinal) ? '-' : c);
        }

        var result = text.ToString();
        result = ReplaceAll(result, "..", ".");
        result = ReplaceAll(result, "_vti_", "vti");
        result = string.Join('-', result.Split('-').Select(word => ReservedWords.Contains(word) ? word + ReservedSuffix : word));
        result = Fit(result.Trim(), MaxLength);
        return result.Length == 0 ? "incident" : result;
    }

    /// <summary>The name to try after Teams said it exists: <c>-2</c>, <c>-3</c>, ... within 50 characters.</summary>
    public static string WithSuffix(string name, int attempt) => Sanitize(ChannelNames.WithSuffix(Sanitize(name), attempt, MaxLength));

    private static string Fit(string name, int max)
    {
        if (name.Length > max)
        {
            name = name[..max];
            if (char.IsHighSurrogate(name[^1]))
            {
                name = name[..^1];
            }
        }

        // Leading '_' or '.' and a trailing '.' are not allowed; trimming may expose new ones, hence the loop.
        var trimmed = name.TrimStart('_', '.', ' ').TrimEnd('.', ' ');
        return trimmed == name ? name : Fit(trimmed, max);
    }

    private static string ReplaceAll(string text, string what, string with)
    {
        while (text.Contains(what, StringComparison.OrdinalIgnoreCase))
        {
            text = text.Replace(what, with, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    private static IEnumerable<string> BuildReserved()
    {
        string[] words = ["forms", "CON", "CONIN$", "CONOUT$", "PRN", "AUX", "NUL", "desktop.ini"];
        var numbered = Enumerable.Range(1, 9).SelectMany(i => new[] { "COM" + i.ToString(CultureInfo.InvariantCulture), "LPT" + i.ToString(CultureInfo.InvariantCulture) });
        return words.Concat(numbered);
    }
}
