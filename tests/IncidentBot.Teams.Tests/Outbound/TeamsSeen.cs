using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Core.Messaging;
using IncidentBot.PlatformContract;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>
/// What a person sees in a Teams conversation, read from the activities the fake Bot Connector holds (at their latest
/// version): a thread's messages, or every thread of a channel, oldest first; each card as Teams renders it.
/// </summary>
internal static partial class TeamsSeen
{
    private const string DeepLinkPrefix = "https://teams.microsoft.com/l/message/";

    public static IReadOnlyList<SeenMessage> Of(FakeTeamsServer teams, string conversation)
    {
        var activities = conversation.Contains(";messageid=", StringComparison.Ordinal)
            ? teams.ActivitiesIn(conversation)
            : teams.Activities.Where(a => a.ConversationId.Split(';')[0] == conversation);
        return activities.OrderBy(a => long.Parse(a.Id, CultureInfo.InvariantCulture)).Select(Message).ToList();
    }

    private static SeenMessage Message(FakeTeamsActivity activity)
    {
        var reader = new Markdown();
        var text = new List<string>();
        var fields = new List<MessageField>();
        var buttons = new List<SeenButton>();
        SeenFile? file = null;
        if (activity.Text is { } plain)
        {
            text.Add(reader.Text(plain));
        }

        var card = activity.Card;
        foreach (var element in card?["body"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            switch ((string?)element["type"])
            {
                case "TextBlock":
                    text.Add(reader.Text((string)element["text"]!));
                    break;
                case "FactSet":
                    fields.AddRange(element["facts"]!.AsArray().Select(f => new MessageField((string)f!["title"]!, (string)f["value"]!)));
                    break;
            }
        }

        foreach (var action in card?["actions"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var inner = action["card"] as JsonObject;
            if ((string?)action["type"] == "Action.Execute")
            {
                buttons.Add(Button((string)action["title"]!, action));
            }
            else if (inner?["actions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(a => (string?)a["type"] == "Action.Execute") is { } submit)
            {
                // A form behind the button (Post update): its label, and what its submit sends.
                buttons.Add(Button((string)action["title"]!, submit));
            }
            else if (inner?["body"]?[0]?["inlines"]?[0]?["text"] is JsonValue content)
            {
                // The postmortem's Markdown behind "Show the Markdown", verbatim.
                file = new SeenFile(null, content.GetValue<string>());
            }
        }

        var shown = string.Join('\n', text);
        var mentions = (activity.Activity["entities"]?.AsArray() ?? []).OfType<JsonObject>()
            .Where(e => (string?)e["type"] == "mention" && card?.ToJsonString().Contains(Escaped((string)e["text"]!), StringComparison.Ordinal) == true)
            .Select(e => new SeenMention((string?)e["mentioned"]!["id"], (string)e["mentioned"]!["name"]!))
            .ToList();
        return new SeenMessage(activity.Id, shown) { Fields = fields, Buttons = buttons, Mentions = mentions, LinkedConversations = reader.Links, File = file };
    }

    /// <summary>A button as the click sends it back: Action.Execute's verb, and its data (the Action.Submit fallback's alike).</summary>
    private static SeenButton Button(string label, JsonObject execute)
    {
        var verb = (string)execute["verb"]!;
        var data = execute["data"]!;
        var fallback = execute["fallback"]?["data"];
        var action = (string?)data["action"] == verb && (fallback is null || (string?)fallback["action"] == verb)
            ? verb
            : $"{verb} (data says {data["action"]}, fallback {fallback?["action"]})";
        return new SeenButton(label, action, (string?)data["value"] ?? "");
    }

    /// <summary>The text as it stands in the card's JSON (where &lt; and &gt; are escaped).</summary>
    private static string Escaped(string text) => JsonValue.Create(text).ToJsonString().Trim('"');

    /// <summary>Teams Markdown read as shown: bold and code unmarked, links by label (deep links noted), mentions as <c>@Name</c>.</summary>
    private sealed partial class Markdown
    {
        public List<string> Links { get; } = [];

        public string Text(string markdown)
        {
            var text = Link().Replace(markdown, m =>
            {
                if (m.Groups[2].Value.StartsWith(DeepLinkPrefix, StringComparison.Ordinal)
                    && m.Groups[2].Value[DeepLinkPrefix.Length..].Split('/') is [var channel, var message])
                {
                    Links.Add($"{Uri.UnescapeDataString(channel)};messageid={Uri.UnescapeDataString(message)}");
                }

                return m.Groups[1].Value;
            });
            text = Mention().Replace(text, "@$1");
            return Code().Replace(Bold().Replace(text, "$1"), "$1");
        }

        [GeneratedRegex(@"\[([^\]]*)\]\(([^)]*)\)")]
        private static partial Regex Link();

        [GeneratedRegex("<at>([^<]*)</at>")]
        private static partial Regex Mention();

        [GeneratedRegex(@"\*\*([^*]+)\*\*")]
        private static partial Regex Bold();

        [GeneratedRegex("`([^`\n]+)`")]
        private static partial Regex Code();
    }
}
