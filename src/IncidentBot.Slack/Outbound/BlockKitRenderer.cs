using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Slack.Outbound;

/// <summary>Renders a platform-neutral message as Block Kit within Slack's documented limits.</summary>
public static class BlockKitRenderer
{
    public const int HeaderMax = 150;
    public const int SectionTextMax = 3000;
    public const int FieldMax = 2000;
    public const int MaxFields = 10;
    public const int ButtonTextMax = 75;
    public const int ButtonValueMax = 2000;
    public const int MaxButtons = 25;
    public const int FallbackTextMax = 4000;

    /// <param name="incidentChannel">The incident's channel, linked when the message asks for it.</param>
    public static (string Text, JsonArray Blocks) Render(ChatMessage message, string? incidentChannel = null)
    {
        var blocks = new JsonArray();
        if (!string.IsNullOrWhiteSpace(message.Title))
        {
            blocks.Add(new JsonObject { ["type"] = "header", ["text"] = PlainText(Clip(message.Title, HeaderMax)) });
        }

        var body = new StringBuilder();
        foreach (var user in message.Mentions.Where(IsSlackId))
        {
            body.Append(CultureInfo.InvariantCulture, $"<@{user}> ");
        }

        body.Append(Escape(message.Text));
        if (message.LinksIncidentConversation && incidentChannel is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"\nIncident channel: <#{incidentChannel}>");
        }

        blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Markdown(Clip(body.ToString(), SectionTextMax)) });
        if (message.Fields.Count > 0)
        {
            var fields = new JsonArray();
            foreach (var field in message.Fields.Take(MaxFields))
            {
                fields.Add(Markdown(Clip($"*{Escape(field.Label)}*\n{Escape(field.Value)}", FieldMax)));
            }

            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        if (message.Buttons.Count > 0)
        {
            var elements = new JsonArray();
            foreach (var button in message.Buttons.Take(MaxButtons))
            {
                var element = new JsonObject
                {
                    ["type"] = "button",
                    ["action_id"] = button.ActionId,
                    ["text"] = PlainText(Clip(button.Label, ButtonTextMax)),
                    ["value"] = Clip(button.Value, ButtonValueMax),
                };
                if (button.Style != ButtonStyle.Default)
                {
                    element["style"] = button.Style == ButtonStyle.Primary ? "primary" : "danger";
                }

                elements.Add(element);
            }

            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = elements });
        }

        var fallback = string.IsNullOrWhiteSpace(message.Title) ? message.Text : $"{message.Title}: {message.Text}";
        return (Clip(fallback, FallbackTextMax), blocks);
    }

    /// <summary>Escapes the three characters Slack's mrkdwn gives meaning to, so chat text cannot forge mentions or links.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Clip(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private static bool IsSlackId(string id) => id.Length > 0 && id.All(char.IsAsciiLetterOrDigit);

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
