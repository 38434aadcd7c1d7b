namespace IncidentBot.Host;

/// <summary>The host's log messages, numbered; never a token or secret in any of them.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Storage: {Provider} at {Location}")]
    public static partial void StorageReady(ILogger logger, string provider, string location);

    [LoggerMessage(1001, LogLevel.Information, "{Platform}: on")]
    public static partial void PlatformOn(ILogger logger, string platform);

    [LoggerMessage(1002, LogLevel.Warning, "{Platform}: off ({Reason})")]
    public static partial void PlatformOff(ILogger logger, string platform, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "API: off (IncidentBot:Api:Keys is empty, so /api/* answers 401)")]
    public static partial void ApiOff(ILogger logger);

    [LoggerMessage(1004, LogLevel.Warning, "Teams: activities WITHOUT a token are accepted from loopback addresses (IncidentBot:Teams:AllowUnauthenticatedLoopback; Development only, for the Agents Playground)")]
    public static partial void TeamsLoopbackOpen(ILogger logger);

    [LoggerMessage(1005, LogLevel.Information, "Slack: HTTP routes {Http}; Socket Mode {SocketMode}")]
    public static partial void SlackTransports(ILogger logger, string http, string socketMode);

    [LoggerMessage(1006, LogLevel.Information, "Web view: on at /, sign-in with {Authority}; admitted: {Audience}")]
    public static partial void WebOn(ILogger logger, string authority, string audience);

    [LoggerMessage(1007, LogLevel.Warning, "Web view: off (IncidentBot:Web:Oidc:Authority and IncidentBot:Web:Oidc:ClientId are not set, so /, /incidents/* and /insights answer 404)")]
    public static partial void WebOff(ILogger logger);

    [LoggerMessage(1008, LogLevel.Warning, "Web view: loopback requests are let in WITHOUT sign-in (IncidentBot:Web:AllowAnonymousLoopback; Development only): open {Url}")]
    public static partial void WebLoopbackOpen(ILogger logger, string url);

    [LoggerMessage(1009, LogLevel.Information, "Sandbox: on, open {Url} and type /incident declare <title> sev2 (IncidentBot:Sandbox:Enabled)")]
    public static partial void SandboxOn(ILogger logger, string url);

    [LoggerMessage(1010, LogLevel.Information, "Sandbox: off ({Reason}, so /sandbox answers 404)")]
    public static partial void SandboxOff(ILogger logger, string reason);

    [LoggerMessage(1100, LogLevel.Information, "Outbox {OutboxId} delivered to {Platform} ({Operation}) after {Attempts} attempt(s)")]
    public static partial void Delivered(ILogger logger, long outboxId, string platform, string operation, int attempts);

    [LoggerMessage(1101, LogLevel.Warning, "Outbox {OutboxId} to {Platform} failed ({Error}); next attempt at {NextAttempt:O}")]
    public static partial void DeliveryRetry(ILogger logger, long outboxId, string platform, string error, DateTimeOffset nextAttempt);

    [LoggerMessage(1102, LogLevel.Error, "Outbox {OutboxId} to {Platform} ({Operation}) given up: {Error}. It will not be retried.")]
    public static partial void DeliveryGivenUp(ILogger logger, long outboxId, string platform, string operation, string error);

    [LoggerMessage(1103, LogLevel.Error, "Outbox dispatcher loop failed; retrying")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(1200, LogLevel.Information, "Reminders sent: {Sent} of {Due} due")]
    public static partial void RemindersSent(ILogger logger, int sent, int due);

    [LoggerMessage(1201, LogLevel.Error, "Reminder scheduler loop failed; retrying")]
    public static partial void SchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(1300, LogLevel.Information, "Alerts {Route}: {Result} ({Incident})")]
    public static partial void AlertReceived(ILogger logger, string route, string result, string incident);

    [LoggerMessage(1301, LogLevel.Warning, "Alerts {Route}: refused with {Status}: {Reason}")]
    public static partial void AlertRefused(ILogger logger, string route, int status, string reason);

    [LoggerMessage(1302, LogLevel.Error, "Alerts {Route}: could not be recorded; answered 503 so the sender retries")]
    public static partial void AlertFailed(ILogger logger, string route, Exception exception);

    [LoggerMessage(1303, LogLevel.Information, "Alerts: on ({Routes} route(s)) at /alerts/alertmanager and /alerts/webhook")]
    public static partial void AlertsOn(ILogger logger, int routes);

    [LoggerMessage(1304, LogLevel.Information, "Alerts: off (IncidentBot:Alerts:Tokens is empty, so /alerts/* answers 404)")]
    public static partial void AlertsOff(ILogger logger);

    [LoggerMessage(1210, LogLevel.Information, "Follow-up nudges sent: {Sent} of {Due} due")]
    public static partial void FollowUpNudgesSent(ILogger logger, int sent, int due);

    [LoggerMessage(1211, LogLevel.Information, "Follow-up digest posted to {Platform}: {Open} open, {Overdue} overdue")]
    public static partial void FollowUpDigestPosted(ILogger logger, string platform, int open, int overdue);

    [LoggerMessage(1400, LogLevel.Warning, "Metrics could not read the store; the gauges keep their last values")]
    public static partial void GaugesFailed(ILogger logger, Exception exception);

    [LoggerMessage(1500, LogLevel.Information, "Tracker webhook: {Action} for incident {IncidentId} follow-up {Number}; changed: {Changed}")]
    public static partial void TrackerWebhook(ILogger logger, string action, long incidentId, int number, bool changed);

    [LoggerMessage(1501, LogLevel.Warning, "Tracker webhook refused with {Status}: {Reason}")]
    public static partial void TrackerWebhookRefused(ILogger logger, int status, string reason);
}
