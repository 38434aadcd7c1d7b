using System.Globalization;
using System.Text;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Web;
using static IncidentBot.Host.Sandbox.SandboxHtml;

namespace IncidentBot.Host.Sandbox;

/// <summary>What one sandbox page shows: the conversations, the selected one's messages, who is reading.</summary>
internal sealed record SandboxView(
    IReadOnlyList<SandboxConversation> Conversations,
    SandboxConversation Selected,
    IReadOnlyList<SandboxMessage> Messages,
    Core.Incidents.Person? Reader,
    string AntiforgeryToken,
    string? Notice,
    string Draft);

/// <summary>The sandbox page's HTML: the web view's layout and stylesheet, a chat in the middle.</summary>
internal static class SandboxPage
{
    public const string ScriptPath = "/sandbox/sandbox.js";
    public const string StylesheetPath = "/sandbox/sandbox.css";

    public static string Render(SandboxView view, MarkdownRenderer markdown)
    {
        var selectedPath = SandboxChatPlatform.ConversationPath(view.Selected.Id);
        var latest = view.Messages.Select(m => m.Sequence).DefaultIfEmpty(0).Max();
        var html = new StringBuilder(8192);
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>#{Encode(view.Selected.Name)} · Sandbox · IncidentBot</title>
                <link rel="stylesheet" href="{WebExtensions.StylesheetPath}">
                <link rel="stylesheet" href="{StylesheetPath}">
                <script src="{ScriptPath}" defer></script>
            </head>
            <body>
                <a class="skip" href="#main">Skip to content</a>
                <header class="site">
                    <nav aria-label="Main">
                        <a class="brand" href="/">IncidentBot</a>
                        <a href="/">Incidents</a>
                        <a href="/insights">Insights</a>
                        <a href="/sandbox" aria-current="page">Sandbox</a>
                        {(view.Reader is { } reader ? $"<span class=\"who\">{Encode(reader.Name)}</span>" : "")}
                    </nav>
                </header>
                <main id="main" class="sandbox">
                <nav class="conversations" aria-label="Conversations" id="conversations" data-count="{view.Conversations.Count}">
                <h2>Conversations</h2>
                <ul>
            """);
        foreach (var conversation in view.Conversations)
        {
            var current = conversation.Id == view.Selected.Id ? " aria-current=\"page\"" : "";
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Encode(SandboxChatPlatform.ConversationPath(conversation.Id))}\"{current}>#{Encode(conversation.Name)}</a></li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            </ul>
            </nav>
            <section class="conversation" aria-labelledby="conversation-name">
            <div id="conversation-head">
            <h1 id="conversation-name">#{Encode(view.Selected.Name)}</h1>
            <p class="topic" id="topic">{Encode(view.Selected.Topic)}</p>
            </div>
            <ol class="messages" id="messages" data-conversation="{Encode(view.Selected.Id)}" data-after="{latest}" aria-live="polite">
            """);
        foreach (var message in view.Messages.OrderBy(m => m.PostedAt).ThenBy(m => PostedOrder(m.MessageRef)))
        {
            Message(html, message, latest, view.AntiforgeryToken, markdown);
        }

        html.Append("</ol>");
        if (view.Notice is { } notice)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\" role=\"alert\" id=\"notice\">{Encode(notice)}</p>");
        }

        if (view.Reader is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/sandbox/name\" class=\"composer\">");
            Hidden(html, "__RequestVerificationToken", view.AntiforgeryToken);
            Hidden(html, "return", selectedPath);
            html.Append(CultureInfo.InvariantCulture, $"""
                <label for="name">Your display name (kept in a cookie)</label>
                <input id="name" name="name" maxlength="{SandboxPeople.MaxNameLength}" required autocomplete="nickname">
                <button type="submit">Start</button>
                </form>
                """);
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{Encode(selectedPath)}/send\" class=\"composer\" id=\"composer\">");
            Hidden(html, "__RequestVerificationToken", view.AntiforgeryToken);
            Hidden(html, "nonce", Guid.NewGuid().ToString("N"));
            Hidden(html, "after", latest.ToString(CultureInfo.InvariantCulture));
            html.Append(CultureInfo.InvariantCulture, $"""
                <label for="text">Message: a command such as <code>/incident declare Checkout errors sev2</code> or <code>help</code></label>
                <textarea id="text" name="text" rows="2" maxlength="{SandboxEndpoints.MaxInputLength}" required>{Encode(view.Draft)}</textarea>
                <button type="submit">Send</button>
                </form>
                """);
        }

        html.Append("""
            </section>
            </main>
            <footer class="site"><p>Sandbox: the bot's own chat, for trying it out and for drills. Nothing here reaches Slack or Teams.</p></footer>
            </body>
            </html>
            """);
        return html.ToString();
    }

    /// <summary>Messages stay where they were posted when they are updated: the number in their ref is their post's sequence.</summary>
    private static long PostedOrder(string messageRef) =>
        long.TryParse(messageRef.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
}
