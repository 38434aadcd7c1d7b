using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.PlatformContract;
using IncidentBot.Testing.Slack;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>
/// What a person sees in a Slack channel, read from the fake's state as Slack's client would show it: the channel's
/// messages (Block Kit), the ephemeral ones for that person, the files shared, in timestamp order.
/// </summary>
internal static partial class SlackSeen
{
    public static IReadOnlyList<SeenMessage> Of(FakeSlackServer slack, string channel, Person viewer, IReadOnlyList<Person> people)
    {
        var seen = new List<(string Ts, SeenMessage Message)>();
        seen.AddRange(slack.Messages.Where(m => m.Channel == channel && !m.IsReply).Select(m => (m.Ts, Message(m.Ts, m.Blocks, m.Text, people))));
        seen.AddRange(slack.Ephemerals.Where(e => e.Channel == channel && e.Recipient == viewer.Id).Select(e => (e.Ts, Message(e.Ts, e.Blocks, e.Text, people))));
        seen.AddRange(slack.FilesIn(channel).Select(f => (f.Ts, new SeenMessage(f.Id, $"{f.Title}\n{f.Name}") { File = new SeenFile(f.Name, Encoding.UTF8.GetString(f.Bytes)) })));
        return seen.OrderBy(s => decimal.Parse(s.Ts, System.Globalization.CultureInfo.InvariantCulture)).Select(s => s.Message).ToList();
    }

    private static SeenMessage Message(string ts, JsonArray? blocks, string fallback, IReadOnlyList<Person> people)
    {
        var reader = new Mrkdwn(people);
        if (blocks is null)
        {
            return reader.Seen(ts, reader.Text(fallback), [], []);
        }

        var text = new List<string>();
        var fields = new List<MessageField>();
        var buttons = new List<SeenButton>();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch ((string?)block["type"])
            {
                case "header":
                    text.Add(Mrkdwn.Emoji((string)block["text"]!["text"]!));
                    break;
                case "section" when block["text"] is JsonObject section:
                    text.Add(reader.Text((string)section["text"]!));
                    break;
                case "section":
                    foreach (var field in block["fields"]!.AsArray())
                    {
                        // Rendered as "*Label*\nValue".
                        var parts = ((string)field!["text"]!).Split('\n', 2);
                        fields.Add(new MessageField(reader.Text(parts[0]), reader.Text(parts.ElementAtOrDefault(1) ?? "")));
                    }

                    break;
                case "actions":
                    buttons.AddRange(block["elements"]!.AsArray().Where(e => (string?)e!["type"] == "button")
                        .Select(e => new SeenButton((string)e!["text"]!["text"]!, (string)e["action_id"]!, (string?)e["value"] ?? "")));
                    break;
            }
        }

        return reader.Seen(ts, string.Join('\n', text), fields, buttons);
    }

    /// <summary>mrkdwn read as Slack shows it: mentions as <c>@Name</c>, channel links, link labels, no markup, entities decoded.</summary>
    private sealed partial class Mrkdwn(IReadOnlyList<Person> people)
    {
        private readonly List<SeenMention> _mentions = [];
        private readonly List<string> _channels = [];

        public static string Emoji(string text) => text.Replace(":rotating_light:", "🚨", StringComparison.Ordinal).Replace(":tada:", "🎉", StringComparison.Ordinal);

        public string Text(string mrkdwn)
        {
            var text = Token().Replace(mrkdwn, m =>
            {
                var token = m.Groups[1].Value;
                switch (token[0])
                {
                    case '@':
                        var id = token[1..].Split('|')[0];
                        var name = people.FirstOrDefault(p => p.Id == id)?.Name ?? id;
                        _mentions.Add(new SeenMention(id, name));
                        return "@" + name;
                    case '#':
                        var channel = token[1..].Split('|')[0];
                        _channels.Add(channel);
                        return "#" + channel;
                    case '!':
                        return "@" + token[1..];
                    default:
                        var parts = token.Split('|', 2);
                        return parts.Length == 2 ? parts[1] : parts[0];
                }
            });
            text = Bold().Replace(text, "$1");
            text = Code().Replace(text, "$1");
            return Emoji(text).Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
        }

        public SeenMessage Seen(string ts, string text, List<MessageField> fields, List<SeenButton> buttons) => new(ts, text)
        {
            Fields = fields,
            Buttons = buttons,
            Mentions = _mentions,
            LinkedConversations = _channels,
        };

        [GeneratedRegex("<([^<>]+)>")]
        private static partial Regex Token();

        [GeneratedRegex(@"\*([^*\n]+)\*")]
        private static partial Regex Bold();

        [GeneratedRegex("`([^`\n]+)`")]
        private static partial Regex Code();
    }
}
