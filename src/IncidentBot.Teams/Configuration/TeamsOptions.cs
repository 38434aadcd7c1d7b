namespace IncidentBot.Teams.Configuration;

/// <summary>Section <c>IncidentBot:Teams</c>. Without an app id the Teams route is off.</summary>
public sealed class TeamsOptions
{
    public const string Section = "IncidentBot:Teams";
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultTokenEndpoint = "https://login.microsoftonline.com/";
    public const string DefaultGraphBaseUrl = "https://graph.microsoft.com/v1.0/";

    /// <summary>The bot's Entra application (client) id: the audience of inbound tokens.</summary>
    public string? AppId { get; set; }

    /// <summary>The application's client secret, for outbound tokens.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The single tenant the bot is registered in.</summary>
    public string? TenantId { get; set; }

    /// <summary>OpenID metadata of the Bot Framework token issuer.</summary>
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>Entra authority host: tokens come from <c>{TokenEndpoint}{TenantId}/oauth2/v2.0/token</c>.</summary>
    public string TokenEndpoint { get; set; } = DefaultTokenEndpoint;

    /// <summary>Microsoft Graph base URL, ending in '/'.</summary>
    public string GraphBaseUrl { get; set; } = DefaultGraphBaseUrl;

    /// <summary>Team in which a channel per incident is created (needs Graph permission); none: a thread per incident.</summary>
    public string? TeamId { get; set; }

    /// <summary>Channel whose threads hold incidents when no channel can be created.</summary>
    public string? IncidentsChannelId { get; set; }

    /// <summary>Channel for declarations and status updates.</summary>
    public string? AnnouncementChannelId { get; set; }

    /// <summary>Service URL used for proactive messages before any activity told us one.</summary>
    public string DefaultServiceUrl { get; set; } = "https://smba.trafficmanager.net/teams/";

    /// <summary>Accept activities without a token from loopback only; refused outside Development.</summary>
    public bool AllowUnauthenticatedLoopback { get; set; }

    /// <summary>The bot's own public address (e.g. https://incidentbot.example.com/), to link the HTTP postmortem export from Teams.</summary>
    public string? PublicBaseUrl { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(AppId);
}
