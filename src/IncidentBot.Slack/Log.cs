using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack;

/// <summary>The Slack adapter's log messages, numbered; never a token, secret or signature in any of them.</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Warning, "Slack request refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(2001, LogLevel.Warning, "Slack {Operation} took longer than the answer budget; finishing in the background")]
    public static partial void SlowAnswer(ILogger logger, string operation);

    [LoggerMessage(2002, LogLevel.Error, "Slack background work failed: {Operation}")]
    public static partial void BackgroundFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(2003, LogLevel.Warning, "Slack Web API call for the answer failed: {Operation}")]
    public static partial void AnswerCallFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(2004, LogLevel.Warning, "Slack {EventType} event not captured: Slack refused to read the message ({Error})")]
    public static partial void CaptureRefused(ILogger logger, string eventType, string error);
}
