using System.Text.RegularExpressions;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// The people a slash command's text mentions. Slack escapes a mention as <c>&lt;@U123|name&gt;</c> (or
/// <c>&lt;@U123&gt;</c>); Core gets each as the text it stands as and the person it names.
/// </summary>
internal static partial class SlackMentions
{
    public static IReadOnlyList<Mention> In(string text)
    {
        if (!text.Contains("<@", StringComparison.Ordinal))
        {
            return [];
        }

        var mentions = new List<Mention>();
        foreach (Match match in Reference().Matches(text))
        {
            var id = match.Groups["id"].Value;
            var name = match.Groups["name"].Success && match.Groups["name"].Length > 0 ? match.Groups["name"].Value : id;
            mentions.Add(new Mention(match.Value, new Person(id, name)));
        }

        return mentions;
    }

    [GeneratedRegex(@"<@(?<id>[A-Za-z0-9]+)(?:\|(?<name>[^>]*))?>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Reference();
}
