using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams;

/// <summary>The Teams adapter's inbound log messages, numbered; never a token in any of them.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "Teams request refused ({StatusCode}): {Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(3001, LogLevel.Warning, "Teams activity accepted WITHOUT a token from loopback (Development, Teams:AllowUnauthenticatedLoopback)")]
    public static partial void Unauthenticated(ILogger logger);

    [LoggerMessage(3002, LogLevel.Debug, "Teams activity of type {Type} ignored")]
    public static partial void Ignored(ILogger logger, string type);
}
