using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Core.Ports;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Trackers;

/// <summary>
/// Jira Cloud REST v3: create an issue (summary, description as ADF) in <c>Project</c> with <c>IssueType</c>, and close it
/// through the transition named <c>DoneTransition</c> (Jira has no "not planned" without a workflow of its own, so
/// done and drop both take it). Basic auth with the account's email and API token.
/// </summary>
internal sealed class JiraTrackerClient : ITrackerClient
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly TrackerOptions _options;

    public JiraTrackerClient(HttpClient http, IOptions<TrackerOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _http = http;
        _clock = clock;
        _http.BaseAddress = _options.ApiRoot;
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("IncidentBot", "1.0"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{_options.Token}")));
    }

    public async Task<(DeliveryResult Result, TrackerIssue? Issue)> CreateAsync(string title, string body, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["project"] = new JsonObject { ["key"] = _options.Project },
                ["issuetype"] = new JsonObject { ["name"] = _options.IssueType },
                ["summary"] = title,
                ["description"] = Document(body),
            },
        };
        using var response = await _http.PostAsync("rest/api/3/issue", Json(request), cancellationToken);
        var result = TrackerResponses.Classify(response, _clock);
        if (result is not Delivered)
        {
            return (result, null);
        }

        var created = await ReadAsync(response, cancellationToken);
        return created?["key"]?.GetValueKind() == JsonValueKind.String && (string?)created["key"] is { Length: > 0 } key
            ? (result, new TrackerIssue(key, new Uri(_options.ApiRoot, "browse/" + Uri.EscapeDataString(key)).ToString()))
            : (new PermanentFailure("Jira created an issue without a key"), null);
    }

    public async Task<DeliveryResult> CloseAsync(string key, bool completed, CancellationToken cancellationToken)
    {
        var path = $"rest/api/3/issue/{Uri.EscapeDataString(key)}/transitions";
        using var listed = await _http.GetAsync(path, cancellationToken);
        var result = TrackerResponses.Classify(listed, _clock);
        if (result is not Delivered)
        {
            return result;
        }

        var transitions = (await ReadAsync(listed, cancellationToken))?["transitions"] as JsonArray ?? [];
        var done = transitions.OfType<JsonObject>().FirstOrDefault(t =>
            string.Equals((string?)t["name"], _options.DoneTransition?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (done?["id"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() is not { Length: > 0 } id)
        {
            // Not offered from the issue's status: closed already, or the workflow has no such transition.
            return new PermanentFailure($"Jira offers no transition named '{_options.DoneTransition}' for {key}");
        }

        using var moved = await _http.PostAsync(path, Json(new JsonObject { ["transition"] = new JsonObject { ["id"] = id } }), cancellationToken);
        return TrackerResponses.Classify(moved, _clock);
    }

    /// <summary>The body as an Atlassian document: a paragraph per line, without our HTML marker (no webhook reads it in Jira).</summary>
    private static JsonObject Document(string body)
    {
        var paragraphs = new JsonArray();
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("<!--", StringComparison.Ordinal))
            {
                continue;
            }

            paragraphs.Add(new JsonObject
            {
                ["type"] = "paragraph",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = line }),
            });
        }

        return new JsonObject { ["type"] = "doc", ["version"] = 1, ["content"] = paragraphs };
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
