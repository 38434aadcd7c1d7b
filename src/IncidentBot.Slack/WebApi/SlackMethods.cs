namespace IncidentBot.Slack.WebApi;

/// <summary>How a Web API method takes its arguments.</summary>
public enum SlackTransport
{
    /// <summary>POST application/json with the token as Bearer (chat.*, views.*).</summary>
    Json,

    /// <summary>POST application/x-www-form-urlencoded (conversations.*, pins.*, bookmarks.*, files.*).</summary>
    Form,

    /// <summary>GET with query arguments (reads).</summary>
    Query,
}

/// <summary>Every Web API method the client calls, with its transport and the bot scope it needs (null: none).</summary>
public static class SlackMethods
{
    public static readonly IReadOnlyDictionary<string, (SlackTransport Transport, string? Scope)> All = new Dictionary<string, (SlackTransport, string?)>
    {
        ["auth.test"] = (SlackTransport.Form, null),

        // Socket Mode: called with the app-level token, whose own scope (connections:write) is not a bot scope.
        ["apps.connections.open"] = (SlackTransport.Form, null),
        ["conversations.create"] = (SlackTransport.Form, "channels:manage"),
        ["conversations.invite"] = (SlackTransport.Form, "channels:manage"),
        ["conversations.setTopic"] = (SlackTransport.Form, "channels:manage"),
        ["conversations.setPurpose"] = (SlackTransport.Form, "channels:manage"),
        ["conversations.archive"] = (SlackTransport.Form, "channels:manage"),
        ["conversations.history"] = (SlackTransport.Query, "channels:history"),
        ["conversations.replies"] = (SlackTransport.Query, "channels:history"),
        ["chat.postMessage"] = (SlackTransport.Json, "chat:write"),
        ["chat.update"] = (SlackTransport.Json, "chat:write"),
        ["chat.postEphemeral"] = (SlackTransport.Json, "chat:write"),
        ["chat.getPermalink"] = (SlackTransport.Query, null),
        ["pins.add"] = (SlackTransport.Form, "pins:write"),
        ["views.open"] = (SlackTransport.Json, null),
        ["users.info"] = (SlackTransport.Query, "users:read"),
        ["files.getUploadURLExternal"] = (SlackTransport.Form, "files:write"),
        ["files.completeUploadExternal"] = (SlackTransport.Form, "files:write"),
    };
}
