using System.Globalization;
using System.Text.Json;
using IncidentBot.Core.Capture;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Buttons, the message shortcut, and modal submissions: the one path into Core for interactions, from
/// POST /slack/interactions (its form field <c>payload</c>) and from Socket Mode's interactive envelopes.
/// </summary>
internal sealed partial class SlackInteractionHandler(
    SlackRefusals refusals,
    IncidentService service,
    SlackAnswers answers,
    ISlackInteractiveApi api,
    TimeProvider clock,
    ILogger<SlackInteractionHandler> logger)
{
    public const string DeclareFromMessageCallback = "declare_from_message";
    public const string DeclareShortcutCallback = "declare_incident";

    /// <summary>Answers the interaction payload <paramref name="json"/> (the JSON text of the payload object).</summary>
    public async Task<SlackAnswer> AnswerAsync(string json, CancellationToken cancellationToken)
    {
        if (json.Length == 0)
        {
            return refusals.BadRequest("an interaction needs a payload field");
        }

        InteractionPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<InteractionPayload>(json, SlackJson.Options);
        }
        catch (JsonException)
        {
            return refusals.BadRequest("payload is not valid JSON of an interaction");
        }

        if (payload?.User?.Id is not { Length: > 0 } userId)
        {
            return refusals.BadRequest("payload has no user");
        }

        var team = payload.Team?.Id ?? payload.User.TeamId;
        if (refusals.CheckTeam(team) is { } forbidden)
        {
            return forbidden;
        }

        var user = new Person(userId, payload.User.Name ?? payload.User.Username ?? userId);
        return payload.Type switch
        {
            "block_actions" => await ButtonAsync(payload, team ?? "", user, cancellationToken),
            "message_action" when payload.CallbackId == FollowUpFromMessageCallback => await FollowUpFromMessageAsync(payload, user, cancellationToken),
            "message_action" => await DeclareFromMessageAsync(payload, cancellationToken),
            "shortcut" => await OpenAsync(payload.TriggerId, SlackViews.DeclareForm(DeclareMetadata.ForChannel("")), cancellationToken),
            "view_submission" => await SubmitAsync(payload, team ?? "", user),
            "view_closed" => SlackAnswer.Ok,
            _ => refusals.BadRequest($"unknown interaction type '{Truncate(payload.Type)}'"),
        };
    }

    private async Task<SlackAnswer> ButtonAsync(InteractionPayload payload, string team, Person user, CancellationToken cancellationToken)
    {
        var action = payload.Actions?.FirstOrDefault();
        if (action?.ActionId is null)
        {
            return refusals.BadRequest("block_actions without an action");
        }

        var channel = payload.Channel?.Id ?? payload.Container?.ChannelId ?? "";
        if (!long.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
        {
            return refusals.BadRequest("button value is not an incident id");
        }

        if (action.ActionId == ActionIds.PostUpdate)
        {
            return await OpenAsync(payload.TriggerId, SlackViews.UpdateForm(incidentId, "incident"), cancellationToken);
        }

        var command = ActionIds.CommandFor(action.ActionId);
        if (command is null)
        {
            // A button from a newer or older version of the bot: nothing to do, nothing to break.
            return SlackAnswer.Ok;
        }

        var context = new CommandContext(SlackPlatformName.Value, team, channel, user);
        var reply = await answers.WithinBudgetAsync(ct => service.ExecuteAsync(command, context, incidentId, ct), channel, user.Id, action.ActionId);
        if (reply is { Display: ReplyDisplay.Private })
        {
            // Refusals ("already acknowledged") go to the clicker alone; card changes show in the header.
            answers.PrivateLater(channel, user.Id, reply.Text, action.ActionId);
        }

        return SlackAnswer.Ok;
    }

    private async Task<SlackAnswer> DeclareFromMessageAsync(InteractionPayload payload, CancellationToken cancellationToken)
    {
        var channel = payload.Channel?.Id ?? "";
        var message = payload.Message;
        var text = message?.Text ?? "";
        var ts = message?.Ts ?? payload.MessageTs;
        var permalink = await PermalinkAsync(channel, ts, cancellationToken);
        var metadata = new DeclareMetadata(channel, ts, message?.User, text, permalink);
        var (firstLine, description) = DeclareForm.Prefill(text, permalink);
        var view = SlackViews.DeclareForm(metadata.Serialize(), firstLine.Length > SlackViews.MaxTitleLength ? firstLine[..SlackViews.MaxTitleLength] : firstLine, description);
        return await OpenAsync(payload.TriggerId, view, cancellationToken);
    }

    /// <summary>The message's permalink (chat.getPermalink, within a second); null when Slack cannot say in time.</summary>
    private async Task<string?> PermalinkAsync(string channel, string? ts, CancellationToken cancellationToken)
    {
        if (ts is null || channel.Length == 0)
        {
            return null;
        }

        try
        {
            using var quick = new Deadline(TimeSpan.FromSeconds(1), clock, cancellationToken);
            return await api.GetPermalinkAsync(channel, ts, quick.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The form matters more than the link: open it without one.
            Log.AnswerCallFailed(logger, "chat.getPermalink", e);
            return null;
        }
    }

    private async Task<SlackAnswer> OpenAsync(string? triggerId, System.Text.Json.Nodes.JsonObject view, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(triggerId))
        {
            return refusals.BadRequest("no trigger_id to open a form with");
        }

        try
        {
            using var budget = answers.StartBudget(cancellationToken);
            await api.OpenViewAsync(triggerId, view, budget.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerCallFailed(logger, "views.open", e);
        }

        return SlackAnswer.Ok;
    }

    private async Task<SlackAnswer> SubmitAsync(InteractionPayload payload, string team, Person user)
    {
        var view = payload.View;
        var values = view?.State?.Values ?? [];
        string? Value(string block) => values.TryGetValue(block, out var actions) && actions.TryGetValue(SlackViews.InputAction, out var v) ? v.Value ?? v.SelectedOption?.Value : null;

        switch (view?.CallbackId)
        {
            case SlackViews.DeclareCallback:
                var form = DeclareForm.Validate(Value(SlackViews.TitleBlock), Value(SlackViews.SeverityBlock), Value(SlackViews.TypeBlock), Value(SlackViews.DescriptionBlock));
                if (form.Errors.Count > 0)
                {
                    return SlackAnswer.With(new { response_action = "errors", errors = form.Errors });
                }

                var metadata = DeclareMetadata.Parse(view.PrivateMetadata) ?? new DeclareMetadata("");
                var request = form.Request! with { SourceMessage = SourceOf(metadata) };
                var context = new CommandContext(SlackPlatformName.Value, team, metadata.Channel, user);
                var reply = await answers.WithinBudgetAsync(ct => service.DeclareAsync(request, context, ct), metadata.Channel, user.Id, "declare");
                if (reply is { Incident: not null } && metadata.Channel.Length > 0)
                {
                    answers.PrivateLater(metadata.Channel, user.Id, reply.Text, "declare");
                }

                return SlackAnswer.Ok;

            case SlackViews.UpdateCallback:
                var text = Value(SlackViews.UpdateBlock)?.Trim();
                if (string.IsNullOrEmpty(text))
                {
                    return SlackAnswer.With(new { response_action = "errors", errors = new Dictionary<string, string> { [SlackViews.UpdateBlock] = "Write what is happening." } });
                }

                if (!long.TryParse(view.PrivateMetadata, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
                {
                    return refusals.BadRequest("update form without an incident");
                }

                var updateContext = new CommandContext(SlackPlatformName.Value, team, "", user);
                var updated = await answers.WithinBudgetAsync(ct => service.ExecuteAsync(new StatusUpdateCommand(text), updateContext, incidentId, ct), "", user.Id, "status update");
                return updated is { Changed: false, Display: ReplyDisplay.Private }
                    ? SlackAnswer.With(new { response_action = "errors", errors = new Dictionary<string, string> { [SlackViews.UpdateBlock] = updated.Text.PlainText } })
                    : SlackAnswer.Ok;

            case SlackViews.FollowUpCallback:
                return await SubmitFollowUpAsync(view, team, user, values);

            default:
                return refusals.BadRequest($"unknown view '{Truncate(view?.CallbackId)}'");
        }
    }

    private static CapturedChatEvent? SourceOf(DeclareMetadata metadata)
    {
        if (metadata.MessageTs is null || metadata.MessageText is null)
        {
            return null;
        }

        var at = DeclareMetadata.ParseTs(metadata.MessageTs) ?? DateTimeOffset.UnixEpoch;
        var author = new Person(metadata.MessageUser ?? "unknown", metadata.MessageUser ?? "unknown");
        return CapturedChatEvent.DeclaredFrom(SlackPlatformName.Value, metadata.Channel, author, metadata.MessageText, metadata.Permalink, at, metadata.MessageTs);
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length > 40 ? value[..40] : value;
}
