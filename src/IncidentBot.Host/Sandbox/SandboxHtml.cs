using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Web;

namespace IncidentBot.Host.Sandbox;

/// <summary>
/// The sandbox's renderer: neutral messages to HTML, as <c>SlackMrkdwn</c> and <c>TeamsMarkdown</c> render them for their
/// platforms. Every piece of text is HTML-encoded; links are kept only to this host or over http(s), buttons are forms.
/// </summary>
internal static class SandboxHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Encode(string text) => Encoder.Encode(text);

    public static string Render(RichText text)
    {
        var html = new StringBuilder();
        foreach (var run in text.Runs)
        {
            html.Append(run switch
            {
                PlainRun plain => Encode(plain.Text),
                BoldRun bold => $"<strong>{Encode(bold.Text)}</strong>",
                CodeRun code => $"<code>{Encode(code.Text)}</code>",
                LinkRun link when IsSafeUrl(link.Url) => $"<a href=\"{Encode(link.Url)}\">{Encode(link.Label)}</a>",
                LinkRun link => Encode(link.Label),
                MentionRun mention => $"<span class=\"mention\">@{Encode(mention.Person.Name)}</span>",
                IconRun icon => icon.Icon switch
                {
                    Icon.Alert => "🚨",
                    Icon.Celebration => "🎉",
                    _ => "",
                },
                LineBreakRun => "<br>",
                _ => "",
            });
        }

        return html.ToString();
    }

    /// <summary>A path of this host, or an absolute http(s) URL: never <c>javascript:</c>, <c>data:</c> or a protocol-relative link.</summary>
    public static bool IsSafeUrl(string url) =>
        (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal))
        || (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https");

    /// <summary>One message of a conversation, its buttons as forms that post to <c>/sandbox/c/{id}/act</c>.</summary>
    public static void Message(StringBuilder html, SandboxMessage message, long latest, string antiforgeryToken, MarkdownRenderer markdown)
    {
        var chat = message.Message;
        var classes = message.RecipientId is null ? "message" : "message private";
        html.Append(CultureInfo.InvariantCulture, $"<li class=\"{classes}\" id=\"msg-{Encode(message.MessageRef)}\" data-seq=\"{message.Sequence}\">");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\"><span class=\"author\">IncidentBot</span> <time datetime=\"{message.PostedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{message.PostedAt.UtcDateTime:HH:mm:ss} UTC</time>");
        if (message.EditedAt is not null)
        {
            html.Append(" <span class=\"edited\">(edited)</span>");
        }

        if (message.RecipientId is not null)
        {
            html.Append(" <span class=\"only-you\">Only you can see this</span>");
        }

        html.Append("</p>");
        if (chat.Title is { } title)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2 class=\"title\">{Render(title)}</h2>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p class=\"text\">{Render(chat.Text)}</p>");
        if (chat.Fields.Count > 0)
        {
            html.Append("<dl class=\"fields\">");
            foreach (var field in chat.Fields)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div><dt>{Encode(field.Label)}</dt><dd>{Encode(field.Value)}</dd></div>");
            }

            html.Append("</dl>");
        }

        if (chat.Buttons.Count > 0)
        {
            html.Append("<div class=\"buttons\">");
            foreach (var button in chat.Buttons)
            {
                var style = button.Style switch
                {
                    ButtonStyle.Primary => " class=\"primary\"",
                    ButtonStyle.Danger => " class=\"danger\"",
                    _ => "",
                };
                html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{Encode(SandboxChatPlatform.ConversationPath(message.ConversationId))}/act\">");
                Hidden(html, "__RequestVerificationToken", antiforgeryToken);
                Hidden(html, "action", button.ActionId);
                Hidden(html, "value", button.Value);
                Hidden(html, "message", message.MessageRef);
                Hidden(html, "after", latest.ToString(CultureInfo.InvariantCulture));
                html.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\"{style}>{Encode(button.Label)}</button></form>");
            }

            html.Append("</div>");
        }

        if (message.File is { } file)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"file\"><a href=\"{Encode(SandboxChatPlatform.ConversationPath(message.ConversationId))}/files/{Encode(message.MessageRef)}\" download=\"{Encode(file.Name)}\">Download {Encode(file.Name)}</a></p>");
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"file-content\"><summary>{Encode(file.Title)}</summary><div class=\"markdown\">{markdown.ToSafeHtml(file.Content)}</div></details>");
        }

        html.Append("</li>");
    }

    public static void Hidden(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">");
}
