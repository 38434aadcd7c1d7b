using System.Text.RegularExpressions;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Host.Sandbox;

/// <summary>
/// Who is typing in the sandbox: the web sign-in's name when there is one, else the display name asked once and kept
/// in a cookie. A person's id comes from the name, so <c>@ada</c> in a command names whoever calls themselves Ada.
/// </summary>
internal static partial class SandboxPeople
{
    public const string NameCookie = "IncidentBot.SandboxName";
    public const int MaxNameLength = 40;

    public static Person? Current(HttpContext context)
    {
        var name = context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } signedIn }
            ? signedIn
            : context.Request.Cookies[NameCookie];
        return name is not null && Normalize(name) is { } valid ? From(valid) : null;
    }

    /// <summary>The display name as kept, or null when it is empty, too long or has characters a name needs not have.</summary>
    public static string? Normalize(string? name)
    {
        var trimmed = (name ?? "").Trim();
        return trimmed.Length is > 0 and <= MaxNameLength && NamePattern().IsMatch(trimmed) ? trimmed : null;
    }

    public static Person From(string name) => new(IdOf(name), name);

    /// <summary>Mentions as Slack's adapter resolves them: every <c>@name</c> in the text names the person of that name.</summary>
    public static IReadOnlyList<Mention> MentionsIn(string text) =>
        MentionPattern().Matches(text).Select(m => new Mention(m.Value, From(m.Groups[1].Value))).ToList();

    private static string IdOf(string name) => "u-" + string.Join('-', name.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"^[\p{L}\p{N} ._'-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?<![\w@])@([\p{L}\p{N}._-]{1,40})")]
    private static partial Regex MentionPattern();
}
