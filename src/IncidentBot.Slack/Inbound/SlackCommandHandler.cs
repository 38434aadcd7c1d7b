using System.Diagnostics;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Outbound;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// `/incident &lt;verb&gt; [args]`, answered privately at once: the one path into Core for slash commands,
/// from POST /slack/commands (after its signature check) and from Socket Mode's slash_commands envelopes.
/// </summary>
internal sealed class SlackCommandHandler(
    SlackRefusals refusals,
    IncidentService service,
    SlackAnswers answers,
    ISlackInteractiveApi api,
    ILogger<SlackCommandHandler> logger)
{
    public async Task<SlackAnswer> AnswerAsync(SlackFields request, CancellationToken cancellationToken)
    {
        var team = request["team_id"];
        var channel = request["channel_id"];
        var user = request["user_id"];
        if (team.Length == 0 || channel.Length == 0 || user.Length == 0)
        {
            return refusals.BadRequest("a slash command needs team_id, channel_id and user_id");
        }

        if (refusals.CheckTeam(team) is { } forbidden)
        {
            return forbidden;
        }

        var name = request["user_name"];
        var context = new CommandContext(SlackPlatformName.Value, team, channel, new Person(user, name.Length > 0 ? name : user));
        var text = request["text"];
        var command = CommandParser.Parse(text, SlackMentions.In(text));
        var reply = await answers.WithinBudgetAsync(ct => service.ExecuteAsync(command, context, ct), channel, user, "slash command");
        return reply?.Display switch
        {
            null => Ephemeral("Working on it: the answer will appear here in a moment."),
            ReplyDisplay.Nothing => SlackAnswer.Ok,
            ReplyDisplay.OpenForm => await OpenDeclareFormAsync(request["trigger_id"], channel, cancellationToken),

            // A card change shows in the incident for everyone; the typed command is confirmed privately too.
            ReplyDisplay.Private or ReplyDisplay.Card => Ephemeral(SlackMrkdwn.Render(reply.Text)),
            _ => throw new UnreachableException($"reply display {reply.Display}"),
        };
    }

    private async Task<SlackAnswer> OpenDeclareFormAsync(string triggerId, string channel, CancellationToken cancellationToken)
    {
        if (triggerId.Length == 0)
        {
            return Ephemeral("Give the incident a title: `/incident declare <title> [sev1..sev4]`.");
        }

        try
        {
            using var budget = answers.StartBudget(cancellationToken);
            await api.OpenViewAsync(triggerId, SlackViews.DeclareForm(DeclareMetadata.ForChannel(channel)), budget.Token);
            return SlackAnswer.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerCallFailed(logger, "views.open", e);
            return Ephemeral("The declare form could not be opened. Declare directly: `/incident declare <title> [sev1..sev4]`.");
        }
    }

    private static SlackAnswer Ephemeral(string text) => SlackAnswer.With(new { response_type = "ephemeral", text });
}
