using System.Text;
using System.Text.RegularExpressions;

namespace IncidentBot.Teams.Cards;

/// <summary>Text for cards: Slack-flavoured Core text made Teams Markdown, emoji codes mapped, lengths capped by UTF-8 size.</summary>
public static partial class CardText
{
    private const string Ellipsis = "…";

    private static readonly Dictionary<string, string> Emoji = new(StringComparer.Ordinal)
    {
        ["rotating_light"] = "🚨",
        ["white_check_mark"] = "✅",
        ["heavy_check_mark"] = "✔️",
        ["warning"] = "⚠️",
        ["fire"] = "🔥",
        ["memo"] = "📝",
        ["bell"] = "🔔",
        ["hourglass"] = "⌛",
        ["tada"] = "🎉",
        ["x"] = "❌",
    };

    /// <summary>A title: known emoji codes become emoji, unknown ones are dropped.</summary>
    public static string Title(string title) =>
        Spaces().Replace(EmojiCode().Replace(title, m => Emoji.GetValueOrDefault(m.Groups[1].Value, "")), " ").Trim();

    /// <summary>A notification preview: like <see cref="Title"/>, and Slack's <c>*bold*</c> markers dropped (previews show no Markdown).</summary>
    public static string Plain(string text) => Title(SlackBold().Replace(text, "$1"));

    /// <summary>
    /// Body text: Slack's <c>*bold*</c> becomes Teams' <c>**bold**</c> (a single star is italics there),
    /// known emoji codes become emoji, anything else stays as written.
    /// </summary>
    public static string Markdown(string text)
    {
        var emoji = EmojiCode().Replace(text, m => Emoji.TryGetValue(m.Groups[1].Value, out var e) ? e : m.Value);
        return SlackBold().Replace(emoji, "**$1**");
    }

    /// <summary>A display name safe inside <c>&lt;at&gt;...&lt;/at&gt;</c>.</summary>
    public static string MentionName(string name) => Clip(name.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Trim(), 100);

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, cut at a character boundary with an ellipsis.</summary>
    public static string Clip(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var room = maxBytes - Encoding.UTF8.GetByteCount(Ellipsis);
        var length = 0;
        var bytes = 0;
        while (length < text.Length)
        {
            var step = char.IsSurrogatePair(text, length) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(length, step));
            if (bytes + size > room)
            {
                break;
            }

            bytes += size;
            length += step;
        }

        return text[..length] + Ellipsis;
    }

    [GeneratedRegex(@":([a-z][a-z0-9_+\-]*):")]
    private static partial Regex EmojiCode();

    [GeneratedRegex(@"(?<![*\w])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![*\w])")]
    private static partial Regex SlackBold();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
