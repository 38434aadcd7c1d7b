using System.Text;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// Slack's markup for neutral rich text: the one place that knows mrkdwn (bold, code, links, mentions, emoji
/// codes) and escapes for it. Plain runs (what people typed) are escaped, so they never become markup.
/// </summary>
public static class SlackMrkdwn
{
    /// <summary>mrkdwn of <paramref name="text"/>, at most <paramref name="max"/> characters as Slack counts them (escaped).</summary>
    public static string Render(RichText text, int max = int.MaxValue)
    {
        if (text.Runs is [PlainRun only])
        {
            return BlockKitRenderer.ClipEscaped(only.Text, max);
        }

        var mrkdwn = new StringBuilder();
        foreach (var run in text.Runs)
        {
            var room = max - mrkdwn.Length;
            if (run is PlainRun plain)
            {
                var clipped = BlockKitRenderer.ClipEscaped(plain.Text, room);
                mrkdwn.Append(clipped);
                if (clipped.Length < BlockKitRenderer.Escape(plain.Text).Length)
                {
                    break;
                }

                continue;
            }

            var piece = Markup(run);
            if (piece.Length > room)
            {
                // Markup cannot be cut in half: end with the ellipsis instead.
                if (room > 0)
                {
                    mrkdwn.Append('…');
                }

                break;
            }

            mrkdwn.Append(piece);
        }

        return mrkdwn.ToString();
    }

    /// <summary>For Slack's plain_text (headers): no markup, icons as emoji codes (rendered with <c>emoji: true</c>).</summary>
    public static string PlainText(RichText text) => text.ToPlainText(EmojiCode);

    public static string EmojiCode(Icon icon) => icon switch
    {
        Icon.Alert => ":rotating_light:",
        Icon.Celebration => ":tada:",
        _ => "",
    };

    private static string Markup(Run run) => run switch
    {
        BoldRun bold => $"*{BlockKitRenderer.Escape(bold.Text)}*",
        CodeRun code => $"`{BlockKitRenderer.Escape(code.Text.Replace('`', '\''))}`",
        LinkRun link => $"<{BlockKitRenderer.Escape(link.Url).Replace("|", "%7C", StringComparison.Ordinal)}|{BlockKitRenderer.Escape(link.Label)}>",
        MentionRun mention => SlackIds.IsUserId(mention.Person.Id) ? $"<@{mention.Person.Id}>" : BlockKitRenderer.Escape(mention.Person.Name),
        IconRun icon => EmojiCode(icon.Icon),
        LineBreakRun => "\n",
        _ => "",
    };
}
