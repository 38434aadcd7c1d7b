using System.Text.Json.Nodes;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.Slack.Inbound;

/// <summary>The inbound edge's Web API calls, through the shared client.</summary>
internal sealed class SlackInteractiveApi(SlackApiClient api) : ISlackInteractiveApi
{
    public Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        api.OpenViewAsync(triggerId, view, cancellationToken);

    public Task PostEphemeralAsync(string channel, string user, string text, CancellationToken cancellationToken) =>
        api.PostEphemeralAsync(channel, user, text, cancellationToken);

    public async Task<string?> GetPermalinkAsync(string channel, string messageTs, CancellationToken cancellationToken) =>
        (await api.GetPermalinkAsync(channel, messageTs, cancellationToken)).Permalink;

    public async Task<SlackMessageText?> GetMessageAsync(string channel, string messageTs, CancellationToken cancellationToken)
    {
        var history = await api.HistoryAsync(channel, messageTs, cancellationToken);
        return history.Messages.FirstOrDefault(m => m.Ts == messageTs) is { } message
            ? new SlackMessageText(message.Text ?? "", message.User, messageTs)
            : null;
    }
}
