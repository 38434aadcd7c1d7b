using System.Text;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Teams.Cards;

/// <summary>
/// Teams' markup for neutral rich text: the one place that knows Teams Markdown (<c>**bold**</c>, code, links) and
/// Unicode emoji for Core's icons. Mentions are shown by name (a real <c>&lt;at&gt;</c> needs an entity, which the
/// card renderer adds for the message's mentions).
/// </summary>
public static class TeamsMarkdown
{
    public static string Render(RichText text)
    {
        if (text.Runs is [PlainRun only])
        {
            return only.Text;
        }

        var markdown = new StringBuilder();
        foreach (var run in text.Runs)
        {
            markdown.Append(run switch
            {
                PlainRun plain => plain.Text,
                BoldRun bold => $"**{bold.Text}**",
                CodeRun code => $"`{code.Text.Replace('`', '\'')}`",
                LinkRun link => $"[{link.Label.Replace("]", ")", StringComparison.Ordinal)}]({link.Url.Replace(")", "%29", StringComparison.Ordinal)})",
                MentionRun mention => mention.Person.Name,
                IconRun icon => Emoji(icon.Icon),
                LineBreakRun => "\n",
                _ => "",
            });
        }

        return markdown.ToString();
    }

    /// <summary>Text with no markup (titles, notification previews, invoke messages): icons as emoji.</summary>
    public static string PlainText(RichText text) => text.ToPlainText(Emoji).Trim();

    public static string Emoji(Icon icon) => icon switch
    {
        Icon.Alert => "🚨",
        Icon.Celebration => "🎉",
        _ => "",
    };
}
