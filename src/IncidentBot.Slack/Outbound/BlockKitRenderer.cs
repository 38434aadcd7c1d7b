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

    /// <summary>Room a field's label may take of <see cref="FieldMax"/>; the value gets the rest.</summary>
    private const int FieldLabelMax = 500;

    /// <summary>
    /// Renders <paramref name="message"/>. Text people typed is clipped, then escaped, within each limit as
    /// Slack counts it (escaped): in mrkdwn and in the top-level <c>text</c>, which notifications show,
    /// <c>&lt;!channel&gt;</c> typed in a title stays text. plain_text (header, button labels) is not parsed
    /// by Slack, so it is only clipped.
    /// </summary>
    /// <param name="incidentChannel">The incident's channel, linked when the message asks for it.</param>
    public static (string Text, JsonArray Blocks) Render(ChatMessage message, string? incidentChannel = null)
    {
        var blocks = new JsonArray();
        if (message.Title is { IsBlank: false })
        {
            blocks.Add(new JsonObject { ["type"] = "header", ["text"] = PlainText(Clip(SlackMrkdwn.PlainText(message.Title), HeaderMax)) });
        }

        blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Markdown(Body(message, incidentChannel)) });
        if (message.Fields.Count > 0)
        {
            var fields = new JsonArray();
            foreach (var field in message.Fields.Take(MaxFields))
            {
                var label = $"*{ClipEscaped(field.Label, FieldLabelMax)}*\n";
                fields.Add(Markdown(label + ClipEscaped(field.Value, FieldMax - label.Length)));
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

        return (Fallback(message), blocks);
    }

    /// <summary>The bot's own mentions and channel link (markup kept), around the escaped text (clipped to what is left).</summary>
    private static string Body(ChatMessage message, string? incidentChannel)
    {
        var mentions = new StringBuilder();
        var inText = message.Text.Runs.OfType<MentionRun>().Select(r => r.Person.Id).ToHashSet(StringComparer.Ordinal);

        // A mention the text makes already is not made twice.
        foreach (var user in message.Mentions.Where(SlackIds.IsUserId).Where(id => !inText.Contains(id)))
        {
            if (mentions.Length + user.Length + 4 > SectionTextMax / 2)
            {
                break;
            }

            mentions.Append(CultureInfo.InvariantCulture, $"<@{user}> ");
        }

        var link = message.LinksIncidentConversation && incidentChannel is not null ? $"\nIncident channel: <#{incidentChannel}>" : "";
        return $"{mentions}{SlackMrkdwn.Render(message.Text, SectionTextMax - mentions.Length - link.Length)}{link}";
    }

    /// <summary>The top-level text: what notifications and screen readers show, parsed as mrkdwn, so escaped too.</summary>
    private static string Fallback(ChatMessage message)
    {
        if (message.Title is not { IsBlank: false } heading)
        {
            return SlackMrkdwn.Render(message.Text, FallbackTextMax);
        }

        var title = SlackMrkdwn.Render(heading, HeaderMax) + ": ";
        return title + SlackMrkdwn.Render(message.Text, FallbackTextMax - title.Length);
    }

    /// <summary>Escapes the three characters Slack's mrkdwn gives meaning to, so chat text cannot forge mentions or links.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// <see cref="Escape"/>d text at most <paramref name="max"/> characters long once escaped (what Slack counts).
    /// The cut is made in the raw text, so it never lands inside an entity or a surrogate pair; an ellipsis marks it.
    /// </summary>
    public static string ClipEscaped(string text, int max)
    {
        var escaped = Escape(text);
        if (escaped.Length <= max)
        {
            return escaped;
        }

        if (max <= 0)
        {
            return "";
        }

        var clipped = new StringBuilder(max);
        for (var i = 0; i < text.Length; i++)
        {
            var entity = text[i] switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => null };
            var length = entity?.Length ?? (char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1);
            if (clipped.Length + length > max - 1)
            {
                break;
            }

            if (entity is null)
            {
                clipped.Append(text, i, length);
                i += length - 1;
            }
            else
            {
                clipped.Append(entity);
            }
        }

        return clipped.Append('…').ToString();
    }

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

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
