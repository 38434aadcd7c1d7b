using System.Text.Json;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Slack.Inbound;

/// <summary>"Add follow-up from this message": the message shortcut, its modal, and the submission into Core's follow-up handler.</summary>
internal sealed partial class SlackInteractionHandler
{
    public const string FollowUpFromMessageCallback = "followup_from_message";

    /// <summary>Opens the follow-up modal prefilled with the message and its link, or refuses privately outside an incident's channel.</summary>
    private async Task<SlackAnswer> FollowUpFromMessageAsync(InteractionPayload payload, Person user, CancellationToken cancellationToken)
    {
        var channel = payload.Channel?.Id ?? "";
        if (await IsOutsideIncidentAsync(channel, cancellationToken))
        {
            answers.PrivateLater(channel, user.Id, FollowUpForm.NotInIncident, FollowUpFromMessageCallback);
            return SlackAnswer.Ok;
        }

        var message = payload.Message;
        var permalink = await PermalinkAsync(channel, message?.Ts ?? payload.MessageTs, cancellationToken);
        var metadata = JsonSerializer.Serialize(new FollowUpMetadata(channel, permalink), SlackJson.Options);
        return await OpenAsync(payload.TriggerId, SlackViews.FollowUpForm(metadata, FollowUpForm.Prefill(message?.Text), permalink), cancellationToken);
    }

    /// <summary>False when the store cannot say in time: the form opens, and the submission is refused by Core if need be.</summary>
    private async Task<bool> IsOutsideIncidentAsync(string channel, CancellationToken cancellationToken)
    {
        if (channel.Length == 0)
        {
            return true;
        }

        try
        {
            using var quick = new Deadline(TimeSpan.FromSeconds(1), clock, cancellationToken);
            return !await service.IsIncidentConversationAsync(SlackPlatformName.Value, channel, quick.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerCallFailed(logger, "follow-up shortcut", e);
            return false;
        }
    }

    private async Task<SlackAnswer> SubmitFollowUpAsync(SlackView view, string team, Person asker, Dictionary<string, Dictionary<string, SlackInputValue>> values)
    {
        SlackInputValue? Input(string block) => values.TryGetValue(block, out var actions) && actions.TryGetValue(SlackViews.InputAction, out var v) ? v : null;

        FollowUpMetadata? metadata;
        try
        {
            metadata = string.IsNullOrEmpty(view.PrivateMetadata) ? null : JsonSerializer.Deserialize<FollowUpMetadata>(view.PrivateMetadata, SlackJson.Options);
        }
        catch (JsonException)
        {
            metadata = null;
        }

        if (metadata is null || metadata.Channel.Length == 0)
        {
            return refusals.BadRequest("follow-up form without a channel");
        }

        Person? owner = null;
        if (Input(SlackViews.FollowUpOwnerBlock)?.SelectedUser is { Length: > 0 } ownerId)
        {
            owner = new Person(ownerId, await OwnerNameAsync(ownerId));
        }

        var form = FollowUpForm.Validate(Input(SlackViews.FollowUpTextBlock)?.Value, owner, Input(SlackViews.FollowUpDueBlock)?.Value, metadata.Permalink);
        if (form.Command is null)
        {
            return SlackAnswer.With(new { response_action = "errors", errors = form.Errors });
        }

        var context = new CommandContext(SlackPlatformName.Value, team, metadata.Channel, asker);
        var reply = await answers.WithinBudgetAsync(ct => service.ExecuteAsync(form.Command, context, ct), metadata.Channel, asker.Id, "follow-up");
        if (reply is { Changed: false, Display: ReplyDisplay.Private })
        {
            // Refused (the incident is gone from this channel): the modal stays open and says why.
            return SlackAnswer.With(new { response_action = "errors", errors = new Dictionary<string, string> { [SlackViews.FollowUpTextBlock] = reply.Text.PlainText } });
        }

        if (reply is { Changed: true })
        {
            answers.PrivateLater(metadata.Channel, asker.Id, reply.Text, "follow-up");
        }

        return SlackAnswer.Ok;
    }

    private async Task<string> OwnerNameAsync(string ownerId)
    {
        try
        {
            using var quick = new Deadline(TimeSpan.FromMilliseconds(500), clock, CancellationToken.None);
            return await api.DisplayNameAsync(ownerId, quick.Token);
        }
        catch (Exception e)
        {
            Log.AnswerCallFailed(logger, "users.info", e);
            return ownerId;
        }
    }

    /// <summary>What the follow-up modal carries in <c>private_metadata</c>: where it was started and the message's link.</summary>
    private sealed record FollowUpMetadata(string Channel, string? Permalink);
}
