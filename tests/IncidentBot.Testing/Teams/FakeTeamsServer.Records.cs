using System.Text.Json.Nodes;

namespace IncidentBot.Testing.Teams;

/// <summary>Route names of <see cref="FakeTeamsServer"/>, for <see cref="FakeTeamsServer.FailNext"/> and <see cref="FakeTeamsServer.CallsTo"/>.</summary>
public static class FakeTeamsRoutes
{
    /// <summary><c>POST /{tenant}/oauth2/v2.0/token</c></summary>
    public const string Token = "token";

    /// <summary><c>POST /v3/conversations</c></summary>
    public const string CreateConversation = "createConversation";

    /// <summary><c>POST /v3/conversations/{id}/activities[/{replyToId}]</c></summary>
    public const string SendActivity = "sendActivity";

    /// <summary><c>PUT /v3/conversations/{id}/activities/{activityId}</c></summary>
    public const string UpdateActivity = "updateActivity";

    /// <summary><c>POST /graph/v1.0/teams/{teamId}/channels</c></summary>
    public const string CreateChannel = "createChannel";

    /// <summary><c>GET /graph/v1.0/teams/{teamId}/channels[?$filter=displayName eq '...']</c></summary>
    public const string ListChannels = "listChannels";

    public const string Unknown = "unknown";
}

/// <summary>A scripted failure of one call (see <see cref="FakeTeamsServer.FailNext"/>).</summary>
/// <param name="RetryAfter">Retry-After seconds, if any.</param>
/// <param name="AfterApplying">The call is carried out first and only its successful answer is replaced.</param>
public sealed record FakeTeamsFault(int Status, int? RetryAfter, bool AfterApplying);

/// <summary>One call the fake received.</summary>
/// <param name="Path">The path with each segment URL-decoded, e.g. <c>/v3/conversations/19:a@thread.tacv2/activities</c>.</param>
/// <param name="RawPath">The path exactly as it came on the wire (still percent-encoded).</param>
/// <param name="Form">Form fields (token requests).</param>
public sealed record FakeTeamsCall(
    string Route,
    string HttpMethod,
    string Path,
    string RawPath,
    string? Authorization,
    JsonNode? Body,
    IReadOnlyDictionary<string, string> Form,
    int Status);

/// <summary>A channel created through Graph.</summary>
public sealed record FakeTeamsChannel(string TeamId, string Id, string DisplayName, string? Description, string? MembershipType);

/// <summary>A channel thread started with <c>POST /v3/conversations</c>; <see cref="Body"/> is the request as sent.</summary>
public sealed record FakeTeamsConversation(string Id, string ChannelId, string? TenantId, JsonObject Body);

/// <summary>An activity the bot sent, at its latest version (every PUT adds one).</summary>
public sealed record FakeTeamsActivity(string ConversationId, string Id, JsonObject Activity, int Version)
{
    /// <summary>The first Adaptive Card attachment's content, or null.</summary>
    public JsonObject? Card =>
        Activity["attachments"] is JsonArray attachments
            ? attachments.OfType<JsonObject>().FirstOrDefault(a => (string?)a["contentType"] == "application/vnd.microsoft.card.adaptive")?["content"] as JsonObject
            : null;

    /// <summary>The activity's <c>text</c>, or null.</summary>
    public string? Text => Activity["text"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
