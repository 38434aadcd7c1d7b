namespace IncidentBot.Teams.Auth;

/// <summary>How the check of an inbound request's token ended.</summary>
/// <param name="StatusCode">200 accepted; 401 bad or missing token; 403 the signing key is not endorsed for the channel.</param>
/// <param name="Reason">Why it was refused, safe to log (never the token itself).</param>
public sealed record TokenCheck(int StatusCode, string Reason)
{
    public static readonly TokenCheck Accepted = new(200, "accepted");

    public bool IsAccepted => StatusCode == 200;

    public static TokenCheck Unauthorized(string reason) => new(401, reason);

    public static TokenCheck Forbidden(string reason) => new(403, reason);
}

/// <summary>Checks the Bearer JWT that the Bot Connector (or Entra) puts on every activity it sends to the bot.</summary>
public interface IBotTokenValidator
{
    /// <param name="authorizationHeader">The raw Authorization header, or null.</param>
    /// <param name="channelId">The activity's <c>channelId</c> (e.g. "msteams"), checked against the key's endorsements.</param>
    /// <param name="serviceUrl">The activity's <c>serviceUrl</c>, which must equal the token's <c>serviceurl</c> claim (an Entra token without one: be a trusted Bot Connector address).</param>
    Task<TokenCheck> ValidateAsync(string? authorizationHeader, string? channelId, string? serviceUrl, CancellationToken cancellationToken);
}
