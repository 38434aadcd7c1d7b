using System.Text.Json.Nodes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Teams.Cards;

/// <summary>
/// Renders a platform-neutral message as an Adaptive Card 1.5 (the highest version Teams renders): buttons as
/// Universal Actions (<c>Action.Execute</c>) with an <c>Action.Submit</c> fallback, Post update as a form,
/// mentions as <c>&lt;at&gt;</c> text with mention entities. Lengths are capped so a card stays well under
/// Teams' ~28 KB message limit.
/// </summary>
public static class AdaptiveCardRenderer
{
    public const string Version = "1.5";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const int TitleMaxBytes = 400;
    public const int TextMaxBytes = 12_000;
    public const int MaxFacts = 15;
    public const int FactTitleMaxBytes = 100;
    public const int FactValueMaxBytes = 500;
    public const int MaxActions = 6;
    public const int ButtonTitleMaxBytes = 80;
    public const int ButtonValueMaxBytes = 500;
    public const int MaxMentions = 20;

    /// <summary>The status update a person may type in the Post update form.</summary>
    public const int UpdateTextMax = 3000;

    /// <summary>The AdaptiveCard content object of <paramref name="message"/>.</summary>
    /// <param name="mentionNames">Display names by user id; an id without a name is shown as itself.</param>
    /// <param name="incidentConversationLink">Linked when the message asks for the incident conversation.</param>
    public static JsonObject Card(ChatMessage message, IReadOnlyDictionary<string, string> mentionNames, string? incidentConversationLink = null) =>
        Card(message, Mentions(message, mentionNames), incidentConversationLink);

    /// <summary>Display names by user id of the people an incident's messages mention (<see cref="Incident.People"/>).</summary>
    public static Dictionary<string, string> MentionNames(Incident? incident)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var person in incident?.People() ?? [])
        {
            names[person.Id] = person.Name;
        }

        return names;
    }

    private static JsonObject Card(ChatMessage message, List<JsonObject> mentions, string? incidentConversationLink)
    {
        var body = new JsonArray();
        if (message.Title is { } heading && TeamsMarkdown.PlainText(heading) is { Length: > 0 } title)
        {
            body.Add(TextBlock(CardText.Clip(title, TitleMaxBytes), bold: true));
        }

        if (mentions.Count > 0)
        {
            body.Add(TextBlock(string.Join(' ', mentions.Select(m => m["text"]!.GetValue<string>()))));
        }

        if (!message.Text.IsBlank)
        {
            body.Add(TextBlock(CardText.Clip(TeamsMarkdown.Render(message.Text), TextMaxBytes)));
        }

        if (message.Fields.Count > 0)
        {
            var facts = new JsonArray();
            foreach (var field in message.Fields.Take(MaxFacts))
            {
                facts.Add(new JsonObject { ["title"] = CardText.Clip(field.Label, FactTitleMaxBytes), ["value"] = CardText.Clip(field.Value, FactValueMaxBytes) });
            }

            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }

        if (incidentConversationLink is not null)
        {
            body.Add(TextBlock($"[Open the incident conversation]({incidentConversationLink})"));
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = Schema,
            ["version"] = Version,
            ["body"] = body,
        };
        if (message.Buttons.Count > 0)
        {
            card["actions"] = new JsonArray(message.Buttons.Take(MaxActions).Select(Action).ToArray<JsonNode?>());
        }

        var teams = new JsonObject { ["width"] = "Full" };
        if (mentions.Count > 0)
        {
            teams["entities"] = new JsonArray(mentions.Select(m => (JsonNode?)m.DeepClone()).ToArray());
        }

        card["msteams"] = teams;
        return card;
    }

    /// <summary>A <c>message</c> activity carrying only the card (no text: the Playground splits text + card into two messages).</summary>
    public static JsonObject Activity(ChatMessage message, IReadOnlyDictionary<string, string> mentionNames, string? link = null)
    {
        var mentions = Mentions(message, mentionNames);
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["summary"] = CardText.Clip(TeamsMarkdown.PlainText(message.Title ?? message.Text), TitleMaxBytes),
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = CardActions.AdaptiveCardContentType,
                ["content"] = Card(message, mentions, link),
            }),
        };
        if (mentions.Count > 0)
        {
            activity["entities"] = new JsonArray(mentions.ToArray<JsonNode?>());
        }

        return activity;
    }

    /// <summary>A plain Markdown reply.</summary>
    public static JsonObject TextActivity(string text) => new()
    {
        ["type"] = "message",
        ["text"] = CardText.Clip(text, TextMaxBytes),
        ["textFormat"] = "markdown",
    };

    private static List<JsonObject> Mentions(ChatMessage message, IReadOnlyDictionary<string, string> names)
    {
        var mentions = new List<JsonObject>();
        var inText = (message.Title?.Runs ?? []).Concat(message.Text.Runs).OfType<MentionRun>().Select(r => r.Person).ToList();
        foreach (var id in message.Mentions.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).Take(MaxMentions))
        {
            // The incident's people first; a message of no incident (the follow-up digest) names them in its own text.
            var known = names.TryGetValue(id, out var named) ? named : inText.FirstOrDefault(p => p.Id == id)?.Name;
            var name = CardText.MentionName(!string.IsNullOrWhiteSpace(known) ? known : id);
            mentions.Add(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = $"<at>{name}</at>",
                ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
            });
        }

        return mentions;
    }

    private static JsonObject TextBlock(string text, bool bold = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (bold)
        {
            block["weight"] = "Bolder";
            block["size"] = "Medium";
        }

        return block;
    }

    private static JsonObject Action(MessageButton button)
    {
        var title = CardText.Clip(button.Label, ButtonTitleMaxBytes);
        if (button.ActionId == ActionIds.PostUpdate)
        {
            return Styled(button, new JsonObject
            {
                ["type"] = "Action.ShowCard",
                ["title"] = title,
                ["card"] = new JsonObject
                {
                    ["type"] = "AdaptiveCard",
                    ["body"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Input.Text",
                        ["id"] = CardActions.UpdateTextInput,
                        ["label"] = "Status update",
                        ["placeholder"] = "What changed, what is next, when is the next update?",
                        ["isMultiline"] = true,
                        ["isRequired"] = true,
                        ["maxLength"] = UpdateTextMax,
                        ["errorMessage"] = "Write the status update before posting it.",
                    }),
                    ["actions"] = new JsonArray(Execute(button, "Post", positive: true)),
                },
            });
        }

        return Styled(button, Execute(button, title, positive: false));
    }

    private static JsonObject Execute(MessageButton button, string title, bool positive)
    {
        var execute = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = button.ActionId,
            ["data"] = Data(button),
            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = Data(button) },
        };
        if (positive)
        {
            execute["style"] = "positive";
        }

        return execute;
    }

    private static JsonObject Data(MessageButton button) => new()
    {
        [CardActions.ActionKey] = button.ActionId,
        [CardActions.ValueKey] = CardText.Clip(button.Value, ButtonValueMaxBytes),
    };

    private static JsonObject Styled(MessageButton button, JsonObject action)
    {
        if (button.Style != ButtonStyle.Default)
        {
            action["style"] = button.Style == ButtonStyle.Primary ? "positive" : "destructive";
        }

        return action;
    }
}
