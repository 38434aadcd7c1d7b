namespace IncidentBot.Teams.Auth;

/// <summary>
/// Which activity <c>serviceUrl</c>s may receive the bot's outbound Bot Connector token when the inbound token does
/// not name one: any app in the tenant can get an Entra token for the bot's app id, so without a <c>serviceurl</c>
/// claim only the address decides where replies (and the bot's token) go.
/// </summary>
internal static class BotConnectorServiceUrls
{
    // Teams' Bot Connector (NOTES §2 and §3: https://smba.trafficmanager.net/{region}/…, /teams/ by default).
    private const string TrafficManagerHost = "smba.trafficmanager.net";

    // Microsoft-owned Bot Framework domains of the public, US Government and China clouds, and Teams' own
    // (e.g. smba.infra.gcc.teams.microsoft.com). Other clouds or test connectors: set Teams:DefaultServiceUrl.
    private static readonly string[] TrustedHostSuffixes =
    [
        ".botframework.com",
        ".botframework.azure.us",
        ".botframework.azure.cn",
        ".teams.microsoft.com",
    ];

    /// <summary>
    /// True for an https URL on a Bot Connector host above, or one with the same scheme, host and port as
    /// <paramref name="configuredDefault"/> (Teams:DefaultServiceUrl, which may be http on loopback for tests).
    /// </summary>
    public static bool IsTrusted(string? serviceUrl, Uri? configuredDefault)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url))
        {
            return false;
        }

        if (configuredDefault is not null
            && Uri.Compare(url, configuredDefault, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return true;
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return false;
        }

        // IdnHost is what DNS resolves; a trailing-dot or look-alike host simply does not match.
        var host = url.IdnHost;
        return string.Equals(host, TrafficManagerHost, StringComparison.OrdinalIgnoreCase)
            || TrustedHostSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
    }
}
