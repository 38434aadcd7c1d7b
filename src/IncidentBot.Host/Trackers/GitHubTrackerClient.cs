using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.Ports;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Trackers;

/// <summary>
/// GitHub Issues over REST (API version 2022-11-28): create an issue, close it as completed or not planned. Every call
/// sends Accept, the API version, the bearer token and a User-Agent (GitHub refuses a request without one).
/// </summary>
internal sealed class GitHubTrackerClient : ITrackerClient
{
    public const string ApiVersion = "2022-11-28";

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly string _repository;

    public GitHubTrackerClient(HttpClient http, IOptions<TrackerOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _http = http;
        _clock = clock;
        _repository = o.Repository?.Trim() ?? "";
        _http.BaseAddress = o.ApiRoot;
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        _http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("IncidentBot", "1.0"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
    }

    private string IssuesPath => $"repos/{_repository}/issues";

    public async Task<(DeliveryResult Result, TrackerIssue? Issue)> CreateAsync(string title, string body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(IssuesPath, new CreateIssue(title, body), GitHubJson.Default.CreateIssue, cancellationToken);
        var result = TrackerResponses.Classify(response, _clock);
        if (result is not Delivered)
        {
            return (result, null);
        }

        try
        {
            var issue = await response.Content.ReadFromJsonAsync(GitHubJson.Default.IssueResponse, cancellationToken);
            return issue is { Number: > 0, HtmlUrl: { Length: > 0 } url }
                ? (result, new TrackerIssue(issue.Number.ToString(CultureInfo.InvariantCulture), url))
                : (new PermanentFailure("GitHub created an issue without number or html_url"), null);
        }
        catch (JsonException)
        {
            return (new PermanentFailure("GitHub's answer to creating an issue is not JSON"), null);
        }
    }

    public async Task<DeliveryResult> CloseAsync(string key, bool completed, CancellationToken cancellationToken)
    {
        var update = new UpdateIssue("closed", completed ? "completed" : "not_planned");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{IssuesPath}/{Uri.EscapeDataString(key)}")
        {
            Content = JsonContent.Create(update, GitHubJson.Default.UpdateIssue),
        };
        using var response = await _http.SendAsync(request, cancellationToken);
        return TrackerResponses.Classify(response, _clock);
    }
}

internal sealed record CreateIssue(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body);

internal sealed record UpdateIssue(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("state_reason")] string StateReason);

internal sealed record IssueResponse(
    [property: JsonPropertyName("number")] long Number,
    [property: JsonPropertyName("html_url")] string? HtmlUrl);

[JsonSerializable(typeof(CreateIssue))]
[JsonSerializable(typeof(UpdateIssue))]
[JsonSerializable(typeof(IssueResponse))]
internal sealed partial class GitHubJson : JsonSerializerContext;
