using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentBot.Testing.Teams;

public sealed partial class FakeTeamsServer
{
    private static readonly SearchValues<char> IllegalNameChars = SearchValues.Create("~#%&*{}+/\\:<>?|'\",");

    private readonly Dictionary<string, string> _validTokens = new(StringComparer.Ordinal);
    private readonly List<string> _tokenRequests = [];
    private readonly List<FakeTeamsChannel> _channels = [];
    private readonly List<FakeTeamsConversation> _conversations = [];
    private readonly List<FakeTeamsActivity> _activities = [];
    private long _nextActivityId = 1_767_000_000_000;
    private int _nextToken = 1;

    /// <summary>The scope of every token issued, in order.</summary>
    public IReadOnlyList<string> TokenRequests { get { lock (_state) { return _tokenRequests.ToList(); } } }

    public int TokenRequestCount(string scope) { lock (_state) { return _tokenRequests.Count(s => s == scope); } }

    public IReadOnlyList<FakeTeamsChannel> Channels { get { lock (_state) { return _channels.ToList(); } } }

    public IReadOnlyList<FakeTeamsConversation> Conversations { get { lock (_state) { return _conversations.ToList(); } } }

    /// <summary>Every activity at its latest version, in the order they were first sent.</summary>
    public IReadOnlyList<FakeTeamsActivity> Activities { get { lock (_state) { return _activities.ToList(); } } }

    public IReadOnlyList<FakeTeamsActivity> ActivitiesIn(string conversationId) { lock (_state) { return _activities.Where(a => a.ConversationId == conversationId).ToList(); } }

    /// <summary>The latest version of one activity, or null.</summary>
    public FakeTeamsActivity? FindActivity(string conversationId, string activityId) { lock (_state) { return Find(conversationId, activityId); } }

    /// <summary>Every token issued so far stops working (as if revoked): the next call with one gets 401.</summary>
    public void RevokeTokens() { lock (_state) { _validTokens.Clear(); } }

    private Answer IssueToken(string tenant, Dictionary<string, string> form)
    {
        static JsonObject AadError(string error, string description) => new() { ["error"] = error, ["error_description"] = description };

        if (!string.Equals(tenant, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return new(400, AadError("invalid_request", $"Tenant '{tenant}' not found."));
        }

        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return new(400, AadError("unsupported_grant_type", "The grant type is not supported."));
        }

        if (form.GetValueOrDefault("client_id") != appId || form.GetValueOrDefault("client_secret") != appPassword)
        {
            return new(401, AadError("invalid_client", "Invalid client secret provided."));
        }

        var scope = form.GetValueOrDefault("scope", "");
        if (scope is not (BotConnectorScope or GraphScope))
        {
            return new(400, AadError("invalid_scope", $"The provided scope '{scope}' is not valid."));
        }

        lock (_state)
        {
            var token = (scope == GraphScope ? "graph-" : "bot-") + (_nextToken++).ToString(CultureInfo.InvariantCulture);
            _validTokens[token] = scope;
            _tokenRequests.Add(scope);
            return new(200, new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["ext_expires_in"] = 3600,
                ["access_token"] = token,
            });
        }
    }

    private bool IsValidToken(string authorization, string scope)
    {
        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.Ordinal))
        {
            return false;
        }

        lock (_state)
        {
            return _validTokens.TryGetValue(authorization[Bearer.Length..], out var issuedFor) && issuedFor == scope;
        }
    }

    private Answer CreateConversation(JsonObject? body)
    {
        var channel = (body?["channelData"]?["channel"]?["id"] as JsonValue)?.GetValue<string>();
        if (body is null || body["isGroup"]?.GetValue<bool>() != true || string.IsNullOrEmpty(channel) || body["activity"] is not JsonObject activity)
        {
            return new(400, Error("BadSyntax", "Incorrect conversation creation parameters"));
        }

        if (UnknownAttachment(activity) is { } refusal)
        {
            return refusal;
        }

        var id = NextActivityId();
        var thread = $"{channel};messageid={id}";
        _conversations.Add(new FakeTeamsConversation(thread, channel, (body["tenantId"] as JsonValue)?.GetValue<string>(), (JsonObject)body.DeepClone()));
        _activities.Add(new FakeTeamsActivity(thread, id, (JsonObject)activity.DeepClone(), 1));
        return new(201, new JsonObject { ["id"] = thread, ["activityId"] = id });
    }

    private Answer SendActivity(string conversationId, JsonObject? activity)
    {
        if (Refusal(conversationId) is { } refused)
        {
            return refused;
        }

        if (activity is null || activity["type"] is null)
        {
            return new(400, Error("BadSyntax", "Activity is missing"));
        }

        if (UnknownAttachment(activity) is { } refusal)
        {
            return refusal;
        }

        var id = NextActivityId();
        _activities.Add(new FakeTeamsActivity(conversationId, id, (JsonObject)activity.DeepClone(), 1));
        var hasText = activity["text"] is JsonValue text && text.GetValue<string>().Length > 0;
        var hasAttachments = activity["attachments"] is JsonArray { Count: > 0 };
        return PlaygroundMode && hasText && hasAttachments ? new(202, null) : new(201, new JsonObject { ["id"] = id });
    }

    private Answer UpdateActivity(string conversationId, string activityId, JsonObject? activity)
    {
        if (Refusal(conversationId) is { } refused)
        {
            return refused;
        }

        if (activity is null)
        {
            return new(400, Error("BadSyntax", "Activity is missing"));
        }

        if (UnknownAttachment(activity) is { } refusal)
        {
            return refusal;
        }

        var existing = Find(conversationId, activityId);
        if (existing is null)
        {
            return new(404, Error("NotFound", "The activity does not exist in this conversation."));
        }

        _activities[_activities.IndexOf(existing)] = existing with { Activity = (JsonObject)activity.DeepClone(), Version = existing.Version + 1 };
        return new(200, new JsonObject { ["id"] = activityId });
    }

    /// <summary>Graph's channel list, with the one <c>$filter</c> the bot uses: <c>displayName eq '...'</c> (quotes doubled inside).</summary>
    private Answer ListChannels(string teamId, string filter)
    {
        const string Prefix = "displayName eq '";
        string? name = null;
        if (filter.Length > 0)
        {
            if (!filter.StartsWith(Prefix, StringComparison.Ordinal) || !filter.EndsWith('\''))
            {
                return new(400, Error("BadRequest", $"Invalid filter clause: {filter}"));
            }

            name = filter[Prefix.Length..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        var found = _channels.Where(c => c.TeamId == teamId && (name is null || string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase)));
        return new(200, new JsonObject
        {
            ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#teams('{teamId}')/channels",
            ["@odata.count"] = found.Count(),
            ["value"] = new JsonArray(found.Select(c => (JsonNode?)new JsonObject
            {
                ["id"] = c.Id,
                ["displayName"] = c.DisplayName,
                ["description"] = c.Description,
                ["membershipType"] = c.MembershipType ?? "standard",
            }).ToArray()),
        });
    }

    private Answer CreateChannel(string teamId, JsonObject? body)
    {
        if (GraphForbidden)
        {
            return new(403, Error("Forbidden", "Missing role permissions on the request. API requires one of 'Channel.Create.Group, Channel.Create, Teamwork.Migrate.All, Group.ReadWrite.All, Directory.ReadWrite.All'."));
        }

        var name = (body?["displayName"] as JsonValue)?.GetValue<string>() ?? "";
        if (!IsLegalChannelName(name))
        {
            return new(400, Error("BadRequest", $"Channel name '{name}' is not valid."));
        }

        if (_channels.Any(c => c.TeamId == teamId && string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase)))
        {
            return new(400, Error("NameAlreadyExists", "Channel name already existed, please use other name."));
        }

        var channel = new FakeTeamsChannel(
            teamId,
            $"19:{Guid.NewGuid():N}@thread.tacv2",
            name,
            (body?["description"] as JsonValue)?.GetValue<string>(),
            (body?["membershipType"] as JsonValue)?.GetValue<string>());
        _channels.Add(channel);
        return new(201, new JsonObject
        {
            ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#teams('{teamId}')/channels/$entity",
            ["id"] = channel.Id,
            ["displayName"] = channel.DisplayName,
            ["description"] = channel.Description,
            ["membershipType"] = channel.MembershipType ?? "standard",
        });
    }

    /// <summary>
    /// Teams takes cards and images as attachments; anything else (a PDF, text/plain, text/markdown) is refused
    /// with 400 "Unknown attachment type" (botbuilder-js #4845, BotBuilder-Samples #4006).
    /// </summary>
    private static Answer? UnknownAttachment(JsonObject activity)
    {
        foreach (var attachment in (activity["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = (attachment["contentType"] as JsonValue)?.GetValue<string>() ?? "";
            if (!type.StartsWith("application/vnd.microsoft.card.", StringComparison.Ordinal)
                && !type.StartsWith("application/vnd.microsoft.teams.card.", StringComparison.Ordinal)
                && !type.StartsWith("image/", StringComparison.Ordinal))
            {
                return new(400, Error("BadArgument", "Unknown attachment type"));
            }
        }

        return null;
    }

    /// <summary>Teams' channel name rules (limits-specifications-teams), as the real service enforces them.</summary>
    public static bool IsLegalChannelName(string name)
    {
        string[] reserved = ["forms", "con", "conin$", "conout$", "prn", "aux", "nul", "desktop.ini", "_vti_",
            .. Enumerable.Range(1, 9).SelectMany(i => new[] { $"com{i}", $"lpt{i}" })];
        return name.Length is > 0 and <= 50
            && name.AsSpan().IndexOfAny(IllegalNameChars) < 0
            && !name.Contains("..", StringComparison.Ordinal)
            && !name.Any(c => c <= 0x1F || c is >= (char)0x80 and <= (char)0x9F)
            && !name.StartsWith('_') && !name.StartsWith('.') && !name.EndsWith('.')
            && !name.Split('-', ' ').Any(word => reserved.Contains(word.ToLowerInvariant()))
            && !name.Contains("_vti_", StringComparison.OrdinalIgnoreCase);
    }

    private FakeTeamsActivity? Find(string conversationId, string activityId) =>
        _activities.FirstOrDefault(a => a.Id == activityId && a.ConversationId == conversationId)
        // Teams also accepts the thread root addressed through its channel.
        ?? _activities.FirstOrDefault(a => a.Id == activityId && a.ConversationId.Split(';')[0] == conversationId.Split(';')[0]);

    private string NextActivityId() => (_nextActivityId++).ToString(CultureInfo.InvariantCulture);
}
