using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Teams.Inbound;

/// <summary>Turns the text of a Teams message into command text: the bot's mention removed using the entities.</summary>
internal static partial class TeamsText
{
    /// <summary>
    /// The command text after the bot's own mention (found through the <c>mention</c> entities, not by
    /// guessing at the text), and the other people mentioned, for <c>lead</c> and <c>role</c>.
    /// </summary>
    public static (string Command, IReadOnlyList<Mention> Mentions) ForCommand(Activity activity)
    {
        var text = activity.Text ?? "";
        var mentions = new List<Mention>();
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(entity.Text) || entity.Mentioned?.Id is not { Length: > 0 } id)
            {
                continue;
            }

            if (activity.Recipient?.Id is { } bot && string.Equals(id, bot, StringComparison.OrdinalIgnoreCase))
            {
                text = text.Replace(entity.Text, " ", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                mentions.Add(new Mention(entity.Text, new Person(id, entity.Mentioned.Name ?? id)));
            }
        }

        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ').Trim();

        // People used to Slack type "incident declare ..." or "/incident declare ...": the word is not a verb, so drop it.
        var leading = LeadingIncidentWord().Match(text);
        if (leading.Success)
        {
            text = text[leading.Length..];
        }

        return (text.Trim(), mentions);
    }

    /// <summary>Plain text of a Teams message body (HTML in message actions): tags dropped, entities decoded.</summary>
    public static string FromHtml(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var withBreaks = LineBreaks().Replace(html, "\n");
        return WebUtility.HtmlDecode(Tags().Replace(withBreaks, "")).Replace('\u00a0', ' ').Trim();
    }

    [GeneratedRegex(@"^/?incident(\s+|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex LeadingIncidentWord();

    [GeneratedRegex(@"<(br\s*/?|/p|/div)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Tags();
}
