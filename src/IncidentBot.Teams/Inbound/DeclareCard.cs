using System.Text.Json.Nodes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Teams.Cards;

namespace IncidentBot.Teams.Inbound;

/// <summary>The declare form as an Adaptive Card, shown in a dialog by the message action.</summary>
internal static class DeclareCard
{
    public static JsonObject Form(string? title, string? description, IReadOnlyDictionary<string, string>? errors)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Declare an incident", ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (errors is { Count: > 0 })
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(" ", errors.Values), ["color"] = "Attention", ["wrap"] = true });
        }

        body.Add(new JsonObject
        {
            ["type"] = "Input.Text", ["id"] = DeclareForm.TitleField, ["label"] = "Title", ["isRequired"] = true,
            ["errorMessage"] = "Give the incident a title.", ["maxLength"] = CommandParser.MaxTitleLength, ["value"] = Clip(title, CommandParser.MaxTitleLength),
        });
        body.Add(Choices(DeclareForm.SeverityField, "Severity", "sev3", ("sev1", "Sev1: critical"), ("sev2", "Sev2: major"), ("sev3", "Sev3: minor"), ("sev4", "Sev4: low")));
        body.Add(Choices(DeclareForm.TypeField, "Type", "livesite", ("livesite", "Livesite"), ("deployment", "Deployment"), ("customer", "Customer-reported")));
        body.Add(new JsonObject
        {
            ["type"] = "Input.Text", ["id"] = DeclareForm.DescriptionField, ["label"] = "Description", ["isMultiline"] = true,
            ["maxLength"] = 3000, ["value"] = Clip(description, 3000),
        });

        return FormCard(body, "Declare", CardActions.Declare);
    }

    /// <summary>A dialog's form card: <paramref name="body"/> and one submit button carrying <paramref name="action"/>.</summary>
    public static JsonObject FormCard(JsonArray body, string submitTitle, string action)
    {
        // In a dialog the submit button is Action.Submit: Teams sends its inputs as composeExtension/submitAction.
        var submit = new JsonObject { ["type"] = "Action.Submit", ["title"] = submitTitle, ["data"] = new JsonObject { [CardActions.ActionKey] = action } };
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = AdaptiveCardRenderer.Schema,
            ["version"] = AdaptiveCardRenderer.Version,
            ["body"] = body,
            ["actions"] = new JsonArray { submit },
        };
    }

    /// <summary>A dialog (task module) showing the form: the answer to <c>composeExtension/fetchTask</c>.</summary>
    public static JsonObject Dialog(JsonObject card, string title = "Declare incident") => new()
    {
        ["task"] = new JsonObject
        {
            ["type"] = "continue",
            ["value"] = new JsonObject
            {
                ["title"] = title,
                ["height"] = "medium",
                ["width"] = "medium",
                ["card"] = new JsonObject { ["contentType"] = CardActions.AdaptiveCardContentType, ["content"] = card },
            },
        },
    };

    private static JsonObject Choices(string id, string label, string value, params (string Value, string Title)[] choices)
    {
        var array = new JsonArray();
        foreach (var (choiceValue, title) in choices)
        {
            array.Add(new JsonObject { ["title"] = title, ["value"] = choiceValue });
        }

        return new JsonObject { ["type"] = "Input.ChoiceSet", ["id"] = id, ["label"] = label, ["value"] = value, ["style"] = "compact", ["isRequired"] = true, ["choices"] = array };
    }

    private static string Clip(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max];
}
