using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Core.Capture;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Teams.Cards;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Teams.Inbound;

/// <summary>Invokes: card buttons (Action.Execute), their Action.Submit fallback, and the message action.</summary>
internal sealed partial class TeamsActivityEndpoint
{
    private const string InvokeMessageType = "application/vnd.microsoft.activity.message";
    private const string InvokeErrorType = "application/vnd.microsoft.error";

    private async Task<IResult> InvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Name)
        {
            case "adaptiveCard/action":
                var data = Property(Property(activity.Value, "action"), "data");
                return await CardActionAsync(activity, data, cancellationToken);
            case "composeExtension/fetchTask" when IsFollowUpCommand(activity):
                return await FetchFollowUpFormAsync(activity, cancellationToken);
            case "composeExtension/fetchTask":
                return FetchDeclareForm(activity);
            case "composeExtension/submitAction" when IsFollowUpCommand(activity):
                return await SubmitFollowUpFormAsync(activity, cancellationToken);
            case "composeExtension/submitAction":
                return await SubmitDeclareFormAsync(activity, cancellationToken);
            default:
                Log.Ignored(logger, $"invoke {activity.Name}");
                return Results.Ok();
        }
    }

    /// <summary>Action.Submit arrives as a message: no answer can be shown inline, so refusals are posted.</summary>
    private async Task<IResult> SubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        var result = await DecideCardActionAsync(activity, activity.Value, cancellationToken);
        if (result.Text is { } text && !result.Changed)
        {
            await ReplyAsync(activity, text, cancellationToken);
        }

        return Results.Ok();
    }

    /// <summary>
    /// Action.Execute: the use case runs, the outbox updates the card for everyone, and the invoke
    /// response shows the clicker the refreshed card, or the refusal inline.
    /// </summary>
    private async Task<IResult> CardActionAsync(Activity activity, JsonElement data, CancellationToken cancellationToken)
    {
        var result = await DecideCardActionAsync(activity, data, cancellationToken);
        if (result.Error is { } error)
        {
            return InvokeResponse(StatusCodes.Status400BadRequest, InvokeErrorType, new JsonObject { ["code"] = "BadRequest", ["message"] = error });
        }

        return result.Card is { } card
            ? InvokeResponse(StatusCodes.Status200OK, CardActions.AdaptiveCardContentType, card)
            : InvokeResponse(StatusCodes.Status200OK, InvokeMessageType, JsonValue.Create(result.Text is { } text ? TeamsMarkdown.PlainText(text) : "Done."));
    }

    private async Task<CardResult> DecideCardActionAsync(Activity activity, JsonElement data, CancellationToken cancellationToken)
    {
        var actionId = String(data, CardActions.ActionKey) ?? String(Property(activity.Value, "action"), "verb");
        if (actionId is null)
        {
            return CardResult.Fail("The card action carries no action.");
        }

        if (!long.TryParse(String(data, CardActions.ValueKey), NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
        {
            return CardResult.Fail("The card action carries no incident.");
        }

        var command = actionId == ActionIds.PostUpdate
            ? String(data, CardActions.UpdateTextInput)?.Trim() is { Length: > 0 } text ? new StatusUpdateCommand(text) : null
            : ActionIds.CommandFor(actionId);
        if (command is null)
        {
            return actionId == ActionIds.PostUpdate
                ? new CardResult(null, "Write what is happening, then post the update.", Changed: false)
                : new CardResult(null, "This button belongs to another version of IncidentBot; use a command instead.", Changed: false);
        }

        var reply = await service.ExecuteAsync(command, Context(activity) with { SourceMessageId = activity.ReplyToId }, incidentId, cancellationToken);
        return reply switch
        {
            { Display: ReplyDisplay.Nothing } => new CardResult(null, reply.Text, Changed: false),

            // The clicker sees the card as everyone now sees it (they get it through the outbox's update of that message).
            { Display: ReplyDisplay.Card, Card: { } card, Incident: { } incident } => new CardResult(AdaptiveCardRenderer.Card(card, AdaptiveCardRenderer.MentionNames(incident)), reply.Text, Changed: true),
            _ => new CardResult(null, reply.Text, reply.Changed),
        };
    }

    /// <summary>The message action: a dialog with the declare form, prefilled from the message.</summary>
    private static IResult FetchDeclareForm(Activity activity)
    {
        var source = SourceMessage.From(activity);
        var prefill = source is null ? default : DeclareForm.Prefill(source.Text, source.Link);
        return Results.Json(DeclareCard.Dialog(DeclareCard.Form(prefill.Title?.Trim(), prefill.Description, errors: null)));
    }

    private async Task<IResult> SubmitDeclareFormAsync(Activity activity, CancellationToken cancellationToken)
    {
        var data = Property(activity.Value, "data");
        var form = DeclareForm.Validate(String(data, DeclareForm.TitleField), String(data, DeclareForm.SeverityField), String(data, DeclareForm.TypeField), String(data, DeclareForm.DescriptionField));
        if (form.Request is null)
        {
            // The dialog stays open and says what is missing.
            return Results.Json(DeclareCard.Dialog(DeclareCard.Form(String(data, DeclareForm.TitleField), String(data, DeclareForm.DescriptionField), form.Errors)));
        }

        var context = Context(activity);
        var source = SourceMessage.From(activity);
        var request = source is null
            ? form.Request
            : form.Request with
            {
                SourceMessage = CapturedChatEvent.DeclaredFrom(Platform, context.ConversationId, source.Author, source.Text, source.Link, source.At ?? DateTimeOffset.UnixEpoch, source.Id),
            };
        var reply = await service.DeclareAsync(request, context, cancellationToken);
        if (reply.Display != ReplyDisplay.Nothing)
        {
            await ReplyAsync(activity, reply.Text, cancellationToken);
        }

        // No body: the dialog closes; the answer is the message just queued.
        return Results.Ok();
    }

    private static IResult InvokeResponse(int statusCode, string type, JsonNode value) =>
        Results.Json(new JsonObject { ["statusCode"] = statusCode, ["type"] = type, ["value"] = value });

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>What a card action ends in: a refreshed card, a text for the clicker, or an error.</summary>
    private sealed record CardResult(JsonObject? Card, RichText? Text, bool Changed, string? Error = null)
    {
        public static CardResult Fail(string error) => new(null, null, false, error);
    }

    /// <summary>The message a message action was started on (<c>value.messagePayload</c>).</summary>
    private sealed record SourceMessage(string Id, string Text, Person Author, DateTimeOffset? At, string? Link)
    {
        public static SourceMessage? From(Activity activity)
        {
            var payload = Property(activity.Value, "messagePayload");
            if (payload.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var user = Property(Property(payload, "from"), "user");
            var author = new Person(String(user, "id") ?? "unknown", String(user, "displayName") ?? String(user, "id") ?? "unknown");
            var at = DateTimeOffset.TryParse(String(payload, "createdDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : (DateTimeOffset?)null;
            return new SourceMessage(String(payload, "id") ?? "", TeamsText.FromHtml(String(Property(payload, "body"), "content")), author, at, String(payload, "linkToMessage"));
        }
    }
}
