using System.Text.Json;
using IncidentBot.Slack.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// What the bot answers one request from Slack, whichever transport carried it: over HTTP it becomes the
/// response, over Socket Mode the ack (with <see cref="Body"/> as its payload where Slack accepts one).
/// </summary>
internal sealed record SlackAnswer(int Status, object? Body = null, string? Refusal = null)
{
    public static readonly SlackAnswer Ok = new(StatusCodes.Status200OK);

    /// <summary>Not done in time or not done at all: over HTTP Slack delivers an event again.</summary>
    public static readonly SlackAnswer TryAgain = new(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The serializer settings of the HTTP answers (ASP.NET Core's web defaults), so both transports send the same JSON.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SlackAnswer With(object body) => new(StatusCodes.Status200OK, body);

    public IResult ToResult() => this switch
    {
        { Refusal: { } reason } => Results.Problem(statusCode: Status, title: reason),
        { Body: { } body } => Results.Json(body, Json),
        _ => Status == StatusCodes.Status200OK ? Results.Ok() : Results.StatusCode(Status),
    };
}

/// <summary>A slash command's fields (the HTTP form, or the JSON object of strings Socket Mode sends).</summary>
internal sealed class SlackFields(IReadOnlyDictionary<string, string> values)
{
    public string this[string name] => values.GetValueOrDefault(name, "");

    public static SlackFields FromForm(Dictionary<string, StringValues> form) =>
        new(form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal));

    /// <summary>The string members of <paramref name="json"/>; anything else is not a slash-command field.</summary>
    public static SlackFields FromJson(JsonElement json) =>
        new(json.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal));
}

/// <summary>The refusals both transports share: a malformed request, and a workspace not allowed.</summary>
internal sealed class SlackRefusals(IOptions<SlackOptions> options, ILogger<SlackRefusals> logger)
{
    /// <summary>A refusal when the workspace is not in <c>Slack:AllowedTeamIds</c> (when that list is set).</summary>
    public SlackAnswer? CheckTeam(string? teamId)
    {
        var allowed = options.Value.AllowedTeamIds;
        return allowed.Count == 0 || (teamId is not null && allowed.Contains(teamId))
            ? null
            : Refuse(StatusCodes.Status403Forbidden, "workspace not allowed");
    }

    public SlackAnswer BadRequest(string reason) => Refuse(StatusCodes.Status400BadRequest, reason);

    private SlackAnswer Refuse(int status, string reason)
    {
        Log.Refused(logger, reason);
        return new SlackAnswer(status, Refusal: reason);
    }
}
