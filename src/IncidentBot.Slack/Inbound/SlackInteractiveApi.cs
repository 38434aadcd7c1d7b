using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.Slack.Inbound;

/// <summary>The inbound edge's Web API calls, through the shared client.</summary>
internal sealed class SlackInteractiveApi(SlackApiClient api, TimeProvider clock) : ISlackInteractiveApi
{
    /// <summary>Names change rarely; an hour keeps users.info calls to one per person per incident, about.</summary>
    public static readonly TimeSpan NameLifetime = TimeSpan.FromHours(1);

    private const int MaxCachedNames = 10_000;

    private readonly ConcurrentDictionary<string, (string Name, DateTimeOffset Until)> _names = new(StringComparer.Ordinal);

    public async Task<string> DisplayNameAsync(string user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_names.TryGetValue(user, out var cached) && cached.Until > now)
        {
            return cached.Name;
        }

        string name;
        try
        {
            var info = (await api.UserInfoAsync(user, cancellationToken)).User;
            name = new[] { info.Profile?.DisplayName, info.Profile?.RealName, info.RealName, info.Name }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? user;
        }
        catch (SlackApiException)
        {
            // user_not_found, missing_scope, ...: the id is still a faithful record; try again after the lifetime.
            name = user;
        }

        if (_names.Count >= MaxCachedNames)
        {
            _names.Clear();
        }

        _names[user] = (name, now + NameLifetime);
        return name;
    }

    public Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        api.OpenViewAsync(triggerId, view, cancellationToken);

    public Task PostEphemeralAsync(string channel, string user, string text, CancellationToken cancellationToken) =>
        api.PostEphemeralAsync(channel, user, text, cancellationToken);

    public async Task<string?> GetPermalinkAsync(string channel, string messageTs, CancellationToken cancellationToken) =>
        (await api.GetPermalinkAsync(channel, messageTs, cancellationToken)).Permalink;

    public async Task<SlackMessageText?> GetMessageAsync(string channel, string messageTs, CancellationToken cancellationToken)
    {
        var message = (await api.HistoryAsync(channel, messageTs, cancellationToken)).Messages.FirstOrDefault(m => m.Ts == messageTs)
            ?? await ReplyAsync(channel, messageTs, cancellationToken);
        return message is null ? null : new SlackMessageText(message.Text ?? "", message.User, messageTs);
    }

    /// <summary>History never lists replies in threads: a message it does not have may be one.</summary>
    private async Task<HistoryMessage?> ReplyAsync(string channel, string messageTs, CancellationToken cancellationToken)
    {
        try
        {
            return (await api.RepliesAsync(channel, messageTs, cancellationToken)).Messages.FirstOrDefault(m => m.Ts == messageTs);
        }
        catch (SlackApiException e) when (e.Error == "thread_not_found")
        {
            // Neither in the channel nor in a thread (deleted since): nothing to capture.
            return null;
        }
    }
}
