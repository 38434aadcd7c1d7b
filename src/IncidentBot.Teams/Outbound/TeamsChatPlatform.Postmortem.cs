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

    public const string MarkdownContentType = "text/markdown";

    /// <summary>
    /// Teams has no bot file upload into channels without SharePoint; the postmortem becomes a card with the
    /// metrics and a link to the HTTP export, plus the Markdown as an inline attachment when it fits.
    /// </summary>
    private JsonObject PostmortemActivity(ChatFile file, Incident? incident)
    {
        var withAttachment = Render(file, incident, tooLarge: false);
        ((JsonArray)withAttachment["attachments"]!).Add(new JsonObject
        {
            ["contentType"] = MarkdownContentType,
            ["name"] = file.Name,
            ["content"] = file.Content,
        });
        var size = TeamsJson.Size(withAttachment);
        if (size <= MaxActivityBytes)
        {
            return withAttachment;
        }

        OutboundLog.AttachmentTooLarge(logger, file.Name, size);
        return Render(file, incident, tooLarge: true);
    }

    private JsonObject Render(ChatFile file, Incident? incident, bool tooLarge)
    {
        var text = new StringBuilder("The postmortem draft is ready");
        var route = incident is null ? null : string.Create(CultureInfo.InvariantCulture, $"api/incidents/{incident.Number}/postmortem");
        if (route is not null && !string.IsNullOrWhiteSpace(_options.PublicBaseUrl))
        {
            var baseUrl = _options.PublicBaseUrl.EndsWith('/') ? _options.PublicBaseUrl : _options.PublicBaseUrl + "/";
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
            ? " It is too large to attach to a Teams message."
            : $" {file.Name} is attached.");

        var fields = new List<MessageField>();
        if (incident is not null)
        {
            fields.Add(new("Time to acknowledge", IncidentMessages.FormatDuration(incident.TimeToAcknowledge)));
            fields.Add(new("Time to mitigate", IncidentMessages.FormatDuration(incident.TimeToMitigate)));
            fields.Add(new("Time to resolve", IncidentMessages.FormatDuration(incident.TimeToResolve)));
        }

        var message = new ChatMessage { Title = file.Title, Text = text.ToString(), Fields = fields };
        return AdaptiveCardRenderer.Activity(message, new Dictionary<string, string>());
    }
}
