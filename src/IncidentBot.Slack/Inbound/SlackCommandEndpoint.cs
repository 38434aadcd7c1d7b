using System.Diagnostics;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Outbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Inbound;

/// <summary>POST /slack/commands: `/incident &lt;verb&gt; [args]`, answered privately at once.</summary>
internal sealed class SlackCommandEndpoint(
    SlackRequestReader reader,
    IncidentService service,
    SlackAnswers answers,
    ISlackInteractiveApi api,
    ILogger<SlackCommandEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var (request, rejection) = await reader.ReadAsync(http, cancellationToken);
        if (request is null)
        {
            return rejection!;
        }

        var team = request.Field("team_id");
        var channel = request.Field("channel_id");
        var user = request.Field("user_id");
        if (team.Length == 0 || channel.Length == 0 || user.Length == 0)
        {
            return reader.BadRequest("a slash command needs team_id, channel_id and user_id");
        }

        if (reader.CheckTeam(team) is { } forbidden)
        {
            return forbidden;
        }

        var name = request.Field("user_name");
        var context = new CommandContext(SlackPlatformName.Value, team, channel, new Person(user, name.Length > 0 ? name : user));
        var text = request.Field("text");
        var command = CommandParser.Parse(text, SlackMentions.In(text));
        var reply = await answers.WithinBudgetAsync(ct => service.ExecuteAsync(command, context, ct), channel, user, "slash command");
        return reply?.Display switch
        {
            null => Ephemeral("Working on it: the answer will appear here in a moment."),
            ReplyDisplay.Nothing => Results.Ok(),
            ReplyDisplay.OpenForm => await OpenDeclareFormAsync(request.Field("trigger_id"), channel, cancellationToken),

            // A card change shows in the incident for everyone; the typed command is confirmed privately too.
            ReplyDisplay.Private or ReplyDisplay.Card => Ephemeral(SlackMrkdwn.Render(reply.Text)),
            _ => throw new UnreachableException($"reply display {reply.Display}"),
        };
    }

    private async Task<IResult> OpenDeclareFormAsync(string triggerId, string channel, CancellationToken cancellationToken)
    {
        if (triggerId.Length == 0)
        {
            return Ephemeral("Give the incident a title: `/incident declare <title> [sev1..sev4]`.");
        }

        try
        {
            using var budget = answers.StartBudget(cancellationToken);
            await api.OpenViewAsync(triggerId, SlackViews.DeclareForm(DeclareMetadata.ForChannel(channel)), budget.Token);
            return Results.Ok();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerCallFailed(logger, "views.open", e);
            return Ephemeral("The declare form could not be opened. Declare directly: `/incident declare <title> [sev1..sev4]`.");
        }
    }

    private static IResult Ephemeral(string text) => Results.Json(new { response_type = "ephemeral", text });
}
