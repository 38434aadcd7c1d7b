using System.Text;

namespace IncidentBot.Teams.Cards;

/// <summary>Text for cards: lengths capped by UTF-8 size, names made safe for mentions (markup: <see cref="TeamsMarkdown"/>).</summary>
public static class CardText
{
    private const string Ellipsis = "…";

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
}
