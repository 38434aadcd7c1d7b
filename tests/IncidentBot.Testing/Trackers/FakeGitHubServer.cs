using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Testing.Trackers;

/// <summary>A request the fake GitHub answered (or refused).</summary>
public sealed record FakeGitHubCall(string Method, string Path, int Status, JsonObject? Body);

/// <summary>One issue in the fake repository.</summary>
public sealed record FakeGitHubIssue(int Number, string Title, string? Body, string State, string? StateReason);

/// <summary>
/// A fake of GitHub's Issues REST API on 127.0.0.1 in its documented shapes (GITHUB_ISSUES.md §1-3): it requires
/// the bearer token, a User-Agent (403 without) and JSON; creates issues (201 + the issue object with number and
/// html_url), PATCHes state and state_reason (200), records every call, and answers scripted faults
/// (a status with an optional Retry-After) before the real answer.
/// </summary>
public sealed class FakeGitHubServer(string token, string repository = "acme/ops") : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeGitHubCall> _calls = new();
    private readonly ConcurrentQueue<(int Status, int? RetryAfterSeconds)> _faults = new();
    private readonly ConcurrentDictionary<int, FakeGitHubIssue> _issues = new();
    private int _next;
    private WebApplication? _app;

    /// <summary>e.g. http://127.0.0.1:PORT (the API root).</summary>
    public string BaseUrl { get; private set; } = "";

    public string Repository => repository;

    public IReadOnlyCollection<FakeGitHubCall> Calls => _calls;

    public IReadOnlyDictionary<int, FakeGitHubIssue> Issues => _issues;

    /// <summary>The human link of issue <paramref name="number"/>, as the fake answers it.</summary>
    public string HtmlUrlOf(int number) => string.Create(CultureInfo.InvariantCulture, $"https://github.com/{repository}/issues/{number}");

    /// <summary>The next call answers <paramref name="status"/> (with Retry-After seconds when given) and changes nothing.</summary>
    public void FailNext(int status, int? retryAfterSeconds = null) => _faults.Enqueue((status, retryAfterSeconds));

    public int FaultsLeft => _faults.Count;

    public async Task StartAsync()
    {
        (_app, var origin) = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/repos/{owner}/{repo}/issues", CreateAsync);
            app.MapMethods("/repos/{owner}/{repo}/issues/{number:int}", ["PATCH"], UpdateAsync);
        });
        BaseUrl = origin;
    }

    private async Task CreateAsync(HttpContext http, string owner, string repo)
    {
        var body = await PreambleAsync(http, owner, repo);
        if (body is null)
        {
            return;
        }

        if (body["title"]?.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty((string?)body["title"]))
        {
            await AnswerAsync(http, body, 422, new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "Issue", ["code"] = "missing_field", ["field"] = "title" }),
            });
            return;
        }

        var number = Interlocked.Increment(ref _next);
        var issue = new FakeGitHubIssue(number, (string)body["title"]!, (string?)body["body"], "open", null);
        _issues[number] = issue;
        await AnswerAsync(http, body, 201, IssueJson(issue));
    }

    private async Task UpdateAsync(HttpContext http, string owner, string repo, int number)
    {
        var body = await PreambleAsync(http, owner, repo);
        if (body is null)
        {
            return;
        }

        if (!_issues.TryGetValue(number, out var issue))
        {
            await AnswerAsync(http, body, 404, new JsonObject { ["message"] = "Not Found" });
            return;
        }

        var state = (string?)body["state"] ?? issue.State;
        var reason = body.ContainsKey("state_reason") && state != issue.State ? (string?)body["state_reason"] : issue.StateReason;
        issue = issue with { State = state, StateReason = reason };
        _issues[number] = issue;
        await AnswerAsync(http, body, 200, IssueJson(issue));
    }

    /// <summary>Checks headers, answers a scripted fault, reads the JSON body; null when the request was answered already.</summary>
    private async Task<JsonObject?> PreambleAsync(HttpContext http, string owner, string repo)
    {
        JsonObject? body = null;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (string.IsNullOrEmpty(http.Request.Headers.UserAgent.ToString()))
        {
            await AnswerAsync(http, body, 403, new JsonObject { ["message"] = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header" });
            return null;
        }

        if (http.Request.Headers.Authorization.ToString() != "Bearer " + token || $"{owner}/{repo}" != repository)
        {
            await AnswerAsync(http, body, 404, new JsonObject { ["message"] = "Not Found" });
            return null;
        }

        if (http.Request.Headers["X-GitHub-Api-Version"].ToString() != "2022-11-28")
        {
            await AnswerAsync(http, body, 400, new JsonObject { ["message"] = "Unsupported API version" });
            return null;
        }

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await AnswerAsync(http, body, fault.Status, new JsonObject { ["message"] = fault.Status == 429 ? "You have exceeded a secondary rate limit" : "Service unavailable" });
            return null;
        }

        if (body is null)
        {
            await AnswerAsync(http, null, 400, new JsonObject { ["message"] = "Problems parsing JSON" });
            return null;
        }

        return body;
    }

    private async Task AnswerAsync(HttpContext http, JsonObject? request, int status, JsonObject answer)
    {
        _calls.Enqueue(new FakeGitHubCall(http.Request.Method, http.Request.Path.Value ?? "", status, request));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject IssueJson(FakeGitHubIssue issue) => new()
    {
        ["url"] = string.Create(CultureInfo.InvariantCulture, $"{BaseUrl}/repos/{repository}/issues/{issue.Number}"),
        ["html_url"] = HtmlUrlOf(issue.Number),
        ["id"] = 444500000 + issue.Number,
        ["node_id"] = "MDU6SXNzdWU0NDQ1MDAwNDE=",
        ["number"] = issue.Number,
        ["title"] = issue.Title,
        ["state"] = issue.State,
        ["state_reason"] = issue.StateReason,
        ["locked"] = false,
        ["body"] = issue.Body,
    };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
