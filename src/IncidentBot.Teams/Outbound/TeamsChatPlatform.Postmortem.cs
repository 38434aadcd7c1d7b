using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Cards;

namespace IncidentBot.Teams.Outbound;

public sealed partial class TeamsChatPlatform
{
    /// <summary>The whole postmortem activity stays under this, below Teams' ~28 KB message limit.</summary>
    public const int MaxActivityBytes = 25 * 1024;

    /// <summary>
    /// Teams has no bot file upload into channels without SharePoint, and the Bot Connector refuses attachments
    /// that are neither cards nor images ("Unknown attachment type"). The postmortem becomes a card with the
    /// metrics and a link to the HTTP export, and the Markdown itself behind a "Show" button when it fits.
    /// </summary>
    private JsonObject PostmortemActivity(ChatFile file, Incident? incident)
    {
        var withDraft = Render(file, incident, tooLarge: false);
        var card = (JsonObject)withDraft["attachments"]![0]!["content"]!;
        if (card["actions"] is not JsonArray actions)
        {
            card["actions"] = actions = [];
        }

        actions.Add(MarkdownShowCard(file));
        var size = TeamsJson.Size(withDraft);
        if (size <= MaxActivityBytes)
        {
            return withDraft;
        }

        OutboundLog.AttachmentTooLarge(logger, file.Name, size);
        return Render(file, incident, tooLarge: true);
    }

    /// <summary>
    /// The Markdown verbatim: a monospace <c>TextRun</c>, which (unlike a <c>TextBlock</c>) renders no Markdown,
    /// so what a responder copies is the draft as exported.
    /// </summary>
    private static JsonObject MarkdownShowCard(ChatFile file) => new()
    {
        ["type"] = "Action.ShowCard",
        ["title"] = "Show the Markdown",
        ["card"] = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["body"] = new JsonArray(new JsonObject
            {
                ["type"] = "RichTextBlock",
                ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = file.Content, ["fontType"] = "Monospace" }),
            }),
        },
    };

    private JsonObject Render(ChatFile file, Incident? incident, bool tooLarge)
    {
        var text = new StringBuilder("The postmortem draft is ready");
        var route = incident is null ? null : string.Create(CultureInfo.InvariantCulture, $"api/incidents/{incident.Number}/postmortem");
        if (route is not null && !string.IsNullOrWhiteSpace(_options.PublicBaseUrl))
        {
            var baseUrl = TeamsHttp.WithTrailingSlash(_options.PublicBaseUrl);
            text.Append(CultureInfo.InvariantCulture, $": [download {file.Name}]({baseUrl}{route}).");
        }
        else if (route is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $". Fetch it as Markdown from the bot's HTTP API: `GET /{route}` (Bearer API key).");
        }
        else
        {
            text.Append('.');
        }

        text.Append(tooLarge
            ? " It is too large to show in a Teams message."
            : $" Show the Markdown below to copy {file.Name}.");

        var fields = incident is null ? [] : IncidentMessages.DurationFields(incident);
        var message = new ChatMessage { Title = file.Title, Text = text.ToString(), Fields = fields };
        return AdaptiveCardRenderer.Activity(message, new Dictionary<string, string>());
    }
}
