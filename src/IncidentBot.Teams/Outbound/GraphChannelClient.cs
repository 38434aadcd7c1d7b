using System.Text.Json.Nodes;
using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Outbound;

/// <summary>Creates standard channels in a team through Microsoft Graph (<c>POST teams/{id}/channels</c>), app-only.</summary>
public sealed class GraphChannelClient(HttpClient http, BotTokenProvider tokens, TimeProvider time, IOptions<TeamsOptions> options)
{
    /// <summary>Graph's limit on a channel description.</summary>
    public const int MaxDescription = 1024;

    private readonly Uri _graph = new(TeamsHttp.WithTrailingSlash(options.Value.GraphBaseUrl), UriKind.Absolute);

    /// <summary>
    /// Creates the channel and returns its id (<c>19:...@thread.tacv2</c>). Throws <see cref="TeamsApiException"/>:
    /// status 403 when the app lacks the permission (see <see cref="IsForbidden"/>), <see cref="IsNameTaken"/> when the name exists.
    /// </summary>
    public async Task<string> CreateChannelAsync(string teamId, string displayName, string description, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["displayName"] = displayName,
            ["description"] = Description(description),
            ["membershipType"] = "standard",
        };
        var uri = new Uri(_graph, $"teams/{Uri.EscapeDataString(teamId)}/channels");
        using var response = await TeamsHttp.SendAsync(http, tokens, BotTokenProvider.GraphScope, time, "create channel",
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = TeamsHttp.Json(body) }, cancellationToken);
        return TeamsHttp.String(await TeamsHttp.ReadObjectAsync(response, cancellationToken), "id")
            ?? throw new TeamsApiException("create channel", (int)response.StatusCode, null, detail: "no channel id in the answer");
    }

    /// <summary>
    /// The team's channel of that display name (Graph compares names case-insensitively), with its description;
    /// null when there is none. <c>GET teams/{id}/channels?$filter=displayName eq '...'</c>.
    /// </summary>
    public async Task<(string Id, string? Description)?> FindChannelAsync(string teamId, string displayName, CancellationToken cancellationToken)
    {
        var filter = Uri.EscapeDataString($"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'");
        var uri = new Uri(_graph, $"teams/{Uri.EscapeDataString(teamId)}/channels?$filter={filter}");
        using var response = await TeamsHttp.SendAsync(http, tokens, BotTokenProvider.GraphScope, time, "list channels",
            () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        var channels = (await TeamsHttp.ReadObjectAsync(response, cancellationToken))?["value"] as JsonArray ?? [];
        foreach (var channel in channels.OfType<JsonObject>())
        {
            if (string.Equals(TeamsHttp.String(channel, "displayName"), displayName, StringComparison.OrdinalIgnoreCase)
                && TeamsHttp.String(channel, "id") is { } id)
            {
                return (id, TeamsHttp.String(channel, "description"));
            }
        }

        return null;
    }

    /// <summary>The description as <see cref="CreateChannelAsync"/> sends it.</summary>
    public static string Description(string description) => description.Length > MaxDescription ? description[..MaxDescription] : description;

    /// <summary>The app may not create channels in that team (no Channel.Create permission or consent).</summary>
    public static bool IsForbidden(TeamsApiException e) => e.StatusCode == 403;

    /// <summary>A channel of that name exists (or existed: deleted channels keep their names for 30 days).</summary>
    public static bool IsNameTaken(TeamsApiException e) =>
        e.StatusCode == 409
        || (e.StatusCode == 400 && (string.Equals(e.ErrorCode, "NameAlreadyExists", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("already exist", StringComparison.OrdinalIgnoreCase)));
}
