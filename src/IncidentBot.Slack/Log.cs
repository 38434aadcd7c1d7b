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

    // Socket Mode. Never the app token, never the connection URL (its ticket is a credential), never a frame's content.
    [LoggerMessage(2100, LogLevel.Information, "Slack Socket Mode connection {Slot} ready at {Host} ({Connections} open for the app)")]
    public static partial void SocketConnected(ILogger logger, int slot, string host, int connections);

    [LoggerMessage(2101, LogLevel.Warning, "Slack Socket Mode connection {Slot} lost ({Reason}); next try in {Delay}")]
    public static partial void SocketLost(ILogger logger, int slot, string reason, TimeSpan delay);

    [LoggerMessage(2102, LogLevel.Information, "Slack Socket Mode connection {Slot}: Slack asked for a refresh ({Reason}); opening the new connection before closing this one")]
    public static partial void SocketRefresh(ILogger logger, int slot, string reason);

    [LoggerMessage(2103, LogLevel.Error, "Slack Socket Mode disabled: {Reason}. No more connections will be tried until the bot restarts; /readyz says why")]
    public static partial void SocketDisabled(ILogger logger, string reason);

    [LoggerMessage(2104, LogLevel.Warning, "Slack Socket Mode frame ignored: {Problem}")]
    public static partial void FrameIgnored(ILogger logger, string problem);

    [LoggerMessage(2105, LogLevel.Warning, "Slack Socket Mode envelope {EnvelopeId} ({Type}) acked before its answer was ready; the work goes on")]
    public static partial void AckedBeforeAnswer(ILogger logger, string envelopeId, string type);

    [LoggerMessage(2106, LogLevel.Warning, "Slack Socket Mode ack of envelope {EnvelopeId} not sent: the connection is gone")]
    public static partial void AckNotSent(ILogger logger, string envelopeId, Exception exception);

    [LoggerMessage(2107, LogLevel.Information, "Slack Socket Mode connection {Slot} closed normally")]
    public static partial void SocketClosed(ILogger logger, int slot);
}
