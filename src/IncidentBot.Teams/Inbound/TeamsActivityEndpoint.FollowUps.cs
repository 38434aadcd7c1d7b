using System.Text.Json.Nodes;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Service;
using IncidentBot.Teams.Cards;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Teams.Inbound;

/// <summary>The message action "Add follow-up from this message": its dialog, and the submission into Core's follow-up handler.</summary>
internal sealed partial class TeamsActivityEndpoint
{
    public const string FollowUpCommandId = "followUpFromMessage";

    /// <summary>The owner choice for whoever submits the dialog (Teams gives a bot no people picker whose ids match its users).</summary>
    public const string OwnerMe = "me";

    private static bool IsFollowUpCommand(Activity activity) => String(activity.Value, "commandId") == FollowUpCommandId;

    /// <summary>The dialog prefilled with the message's text and link; outside an incident's conversation, a message to the asker alone.</summary>
    private async Task<IResult> FetchFollowUpFormAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!await service.IsIncidentConversationAsync(Platform, activity.Conversation!.Id!, cancellationToken))
        {
            return Results.Json(FollowUpCard.Refusal(TeamsMarkdown.PlainText(FollowUpForm.NotInIncident)));
        }

        var source = SourceMessage.From(activity);
        return Results.Json(FollowUpCard.Dialog(FollowUpCard.Form(FollowUpForm.Prefill(source?.Text), null, null, source?.Link, errors: null)));
    }

    private async Task<IResult> SubmitFollowUpFormAsync(Activity activity, CancellationToken cancellationToken)
    {
        var data = Property(activity.Value, "data");
        var context = Context(activity);
        var text = String(data, FollowUpForm.TextField);
        var ownerChoice = String(data, FollowUpForm.OwnerField);
        var due = String(data, FollowUpForm.DueField);
        var link = SourceMessage.From(activity)?.Link;
        var form = FollowUpForm.Validate(text, ownerChoice == OwnerMe ? context.User : null, due, link);
        if (form.Command is null)
        {
            // The dialog stays open and says what to fix.
            return Results.Json(FollowUpCard.Dialog(FollowUpCard.Form(text, ownerChoice, due, link, form.Errors)));
        }

        var reply = await service.ExecuteAsync(form.Command, context, cancellationToken);
        if (reply.Display != ReplyDisplay.Nothing)
        {
            await ReplyAsync(activity, reply.Text, cancellationToken);
        }

        // No body: the dialog closes; the follow-up's card and the answer are in the outbox.
        return Results.Ok();
    }
}

/// <summary>The follow-up form as an Adaptive Card in a dialog.</summary>
internal static class FollowUpCard
{
    public static JsonObject Form(string? text, string? owner, string? due, string? link, IReadOnlyDictionary<string, string>? errors)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Add a follow-up", ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (errors is { Count: > 0 })
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(" ", errors.Values), ["color"] = "Attention", ["wrap"] = true });
        }

        body.Add(new JsonObject
        {
            ["type"] = "Input.Text", ["id"] = FollowUpForm.TextField, ["label"] = "Follow-up", ["isRequired"] = true, ["isMultiline"] = true,
            ["errorMessage"] = "Write what needs to be done.", ["maxLength"] = FollowUpParser.MaxTextLength, ["value"] = text ?? "",
        });
        body.Add(new JsonObject
        {
            ["type"] = "Input.ChoiceSet", ["id"] = FollowUpForm.OwnerField, ["label"] = "Owner", ["style"] = "compact", ["value"] = owner ?? "",
            ["choices"] = new JsonArray
            {
                new JsonObject { ["title"] = "Unassigned", ["value"] = "" },
                new JsonObject { ["title"] = "Me", ["value"] = TeamsActivityEndpoint.OwnerMe },
            },
        });
        body.Add(new JsonObject
        {
            ["type"] = "Input.Text", ["id"] = FollowUpForm.DueField, ["label"] = "Due (YYYY-MM-DD or days, such as 7d)", ["maxLength"] = 10, ["value"] = due ?? "",
        });
        if (!string.IsNullOrEmpty(link))
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"From {link}", ["isSubtle"] = true, ["wrap"] = true });
        }

        return DeclareCard.FormCard(body, "Add", "followup.add");
    }

    public static JsonObject Dialog(JsonObject card) => DeclareCard.Dialog(card, "Add follow-up");

    /// <summary>A task "message": Teams shows it to the one person who started the action.</summary>
    public static JsonObject Refusal(string text) => new() { ["task"] = new JsonObject { ["type"] = "message", ["value"] = text } };
}
