using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Outbound;

/// <summary>A channel thread the Bot Connector started: <c>19:...;messageid=N</c> and its first activity's id.</summary>
public sealed record ConversationThread(string Id, string? ActivityId);

/// <summary>
/// The Bot Connector REST calls the bot makes (send, update, start a channel thread), each at the
/// <c>serviceUrl</c> of the conversation, conversation ids URL-encoded in the path. Failures throw
/// <see cref="TeamsApiException"/>; retrying is the outbox dispatcher's job.
/// </summary>
public sealed class BotConnectorClient(HttpClient http, BotTokenProvider tokens, TimeProvider time)
{
    private const string SendOperation = "send activity";

    /// <summary>
    /// A send refused for the conversation itself, which no retry changes: 403 (<c>BotNotInConversationRoster</c>,
    /// <c>ConversationBlockedByUser</c>, <c>BotDisabledByAdmin</c>) or 404 (<c>ConversationNotFound</c>), as Teams answers
    /// once the app was removed or blocked there. A token failure says nothing about the conversation and is not one.
    /// </summary>
    public static bool RefusesConversation(TeamsApiException e) => e.Operation == SendOperation && e.StatusCode is 403 or 404;

    /// <summary><c>POST v3/conversations/{id}/activities</c>: the new activity's id, or null when the service answered 2xx without one.</summary>
    public async Task<string?> SendAsync(string serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken)
    {
        var uri = Endpoint(serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities");
        using var response = await TeamsHttp.SendAsync(http, tokens, BotTokenProvider.BotConnectorScope, time, SendOperation,
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = TeamsHttp.Json(activity) }, cancellationToken);
        return TeamsHttp.String(await TeamsHttp.ReadObjectAsync(response, cancellationToken), "id");
    }

    /// <summary><c>PUT v3/conversations/{id}/activities/{activityId}</c>: replaces the message for everyone.</summary>
    public async Task UpdateAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        var uri = Endpoint(serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}");
        var body = activity.DeepClone().AsObject();
        body["id"] = activityId;
        using var response = await TeamsHttp.SendAsync(http, tokens, BotTokenProvider.BotConnectorScope, time, "update activity",
            () => new HttpRequestMessage(HttpMethod.Put, uri) { Content = TeamsHttp.Json(body) }, cancellationToken);
    }

    /// <summary>
    /// <c>POST v3/conversations</c> with <c>channelData.channel.id</c>: a new thread in a channel, started by
    /// <paramref name="activity"/> (Teams requires one). Returns the thread's conversation id.
    /// </summary>
    public async Task<ConversationThread> CreateChannelThreadAsync(string serviceUrl, string channelId, string? tenantId, JsonObject activity, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["isGroup"] = true,
            ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = channelId } },
            ["activity"] = activity.DeepClone(),
        };
        if (!string.IsNullOrEmpty(tenantId))
        {
            body["tenantId"] = tenantId;
        }

        var uri = Endpoint(serviceUrl, "v3/conversations");
        using var response = await TeamsHttp.SendAsync(http, tokens, BotTokenProvider.BotConnectorScope, time, "create conversation",
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = TeamsHttp.Json(body) }, cancellationToken);
        var answer = await TeamsHttp.ReadObjectAsync(response, cancellationToken);
        var id = TeamsHttp.String(answer, "id")
            ?? throw new TeamsApiException("create conversation", (int)response.StatusCode, null, detail: "no conversation id in the answer");
        return new ConversationThread(id, TeamsHttp.String(answer, "activityId") ?? TeamsConversations.MessageIdOf(id));
    }

    private static Uri Endpoint(string serviceUrl, string path) =>
        new(new Uri(TeamsHttp.WithTrailingSlash(serviceUrl), UriKind.Absolute), path);
}
