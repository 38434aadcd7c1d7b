using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams.Auth;

/// <summary>Log messages of inbound Teams authentication (event ids 3100-3149); never a token or a claim value.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(3100, LogLevel.Information, "Teams auth: signing keys of {MetadataUrl} fetched ({KeyCount} keys)")]
    public static partial void KeysFetched(ILogger logger, Uri metadataUrl, int keyCount);

    [LoggerMessage(3101, LogLevel.Warning, "Teams auth: cannot fetch the signing keys of {MetadataUrl} ({ErrorType}); keeping {KeyCount} cached keys")]
    public static partial void KeysFetchFailed(ILogger logger, Uri metadataUrl, string errorType, int keyCount, Exception exception);

    [LoggerMessage(3102, LogLevel.Debug, "Teams auth: request refused with {StatusCode}: {Reason}")]
    public static partial void TokenRefused(ILogger logger, int statusCode, string reason);
}
