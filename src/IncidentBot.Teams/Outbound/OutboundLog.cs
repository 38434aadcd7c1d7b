using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams.Outbound;

/// <summary>Log messages of Teams delivery (event ids 3200-3299); never a token, secret or message text.</summary>
internal static partial class OutboundLog
{
    [LoggerMessage(3200, LogLevel.Warning,
        "Teams: cannot create a channel per incident ({Reason}); incidents get a thread in Teams:IncidentsChannelId instead (or stay in the conversation they were declared in). Grant the app Channel.Create.Group (RSC) or Channel.Create to get channels.")]
    public static partial void ChannelFallback(ILogger logger, string reason);

    [LoggerMessage(3201, LogLevel.Debug, "Teams token acquired for {Scope}, valid until {ExpiresOn}")]
    public static partial void TokenAcquired(ILogger logger, string scope, DateTimeOffset expiresOn);

    [LoggerMessage(3202, LogLevel.Warning, "Teams token request for {Scope} failed: HTTP {StatusCode} {ErrorCode}")]
    public static partial void TokenFailed(ILogger logger, string scope, int statusCode, string? errorCode);

    [LoggerMessage(3203, LogLevel.Information, "Teams {Operation} answered 401: dropping the cached token for {Scope} and retrying once")]
    public static partial void TokenRejected(ILogger logger, string operation, string scope);

    [LoggerMessage(3204, LogLevel.Information, "Teams channel name {Name} is taken; trying {Next}")]
    public static partial void ChannelNameTaken(ILogger logger, string name, string next);

    [LoggerMessage(3210, LogLevel.Information, "Teams channel {Name} already exists with incident {IncidentId}'s description (an earlier attempt created it): using it")]
    public static partial void ChannelReused(ILogger logger, string name, long incidentId);

    [LoggerMessage(3205, LogLevel.Warning, "Teams answered without an activity id for incident {IncidentId}; the '{Anchor}' message cannot be updated later")]
    public static partial void NoActivityId(ILogger logger, long incidentId, string anchor);

    [LoggerMessage(3206, LogLevel.Information, "Postmortem {FileName} is {Bytes} bytes, too large to show in a Teams card; the card links it instead")]
    public static partial void AttachmentTooLarge(ILogger logger, string fileName, int bytes);

    [LoggerMessage(3207, LogLevel.Information, "Incident {IncidentId} lives in Teams conversation {ConversationId}")]
    public static partial void ConversationOpened(ILogger logger, long incidentId, string conversationId);

    [LoggerMessage(3211, LogLevel.Debug, "Teams: a direct message of incident {IncidentId} has nowhere to go (its person has no 1:1 conversation with the bot); sent nothing")]
    public static partial void NoDirectConversation(ILogger logger, long incidentId);

    [LoggerMessage(3212, LogLevel.Information,
        "Teams refused a direct message of incident {IncidentId} in its person's 1:1 conversation (HTTP {StatusCode} {ErrorCode}: the app was removed or blocked there); forgotten: {Forgotten}. They are reached in the incident conversation until they write to the bot again")]
    public static partial void DirectConversationRefused(ILogger logger, long incidentId, int statusCode, string? errorCode, bool forgotten);
}
