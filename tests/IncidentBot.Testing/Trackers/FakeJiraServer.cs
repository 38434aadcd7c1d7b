using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Testing.Trackers;

/// <summary>A request the fake Jira answered.</summary>
public sealed record FakeJiraCall(string Method, string Path, int Status, JsonObject? Body);

/// <summary>One issue of the fake Jira: its key, fields as sent, and status name.</summary>
public sealed record FakeJiraIssue(string Key, JsonObject Fields, string Status);

/// <summary>
/// A fake of Jira Cloud's REST v3 on 127.0.0.1 (JIRA.md §1-4): Basic auth with email and API token; <c>POST
/// /rest/api/3/issue</c> (201 <c>{id,key,self}</c>; 400 ErrorCollection without summary or with a plain-string
/// description); transitions listed from the issue's status (To Do: "Start", "Done"; Done: "Reopen") and applied
/// with 204; scripted faults (status and Retry-After) before the real answer.
/// </summary>
public sealed class FakeJiraServer(string user, string token, string project = "OPS") : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeJiraCall> _calls = new();
    private readonly ConcurrentQueue<(int Status, int? RetryAfterSeconds)> _faults = new();
    private readonly ConcurrentDictionary<string, FakeJiraIssue> _issues = new(StringComparer.Ordinal);
    private int _next;
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public string Project => project;

    public IReadOnlyCollection<FakeJiraCall> Calls => _calls;

    public IReadOnlyDictionary<string, FakeJiraIssue> Issues => _issues;

    public void FailNext(int status, int? retryAfterSeconds = null) => _faults.Enqueue((status, retryAfterSeconds));

    public async Task StartAsync()
    {
        (_app, var origin) = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/rest/api/3/issue", CreateAsync);
            app.MapGet("/rest/api/3/issue/{key}/transitions", ListAsync);
            app.MapPost("/rest/api/3/issue/{key}/transitions", TransitionAsync);
        });
        BaseUrl = origin;
    }

    private static readonly Dictionary<string, (string Id, string Name, string To, string Category)[]> Workflow = new(StringComparer.Ordinal)
    {
        ["To Do"] = [("11", "Start", "In Progress", "indeterminate"), ("31", "Done", "Done", "done")],
        ["In Progress"] = [("31", "Done", "Done", "done")],
        ["Done"] = [("41", "Reopen", "To Do", "new")],
    };

    private async Task CreateAsync(HttpContext http)
    {
        var body = await PreambleAsync(http);
        if (body is null)
        {
            return;
        }

        var fields = body["fields"] as JsonObject;
        if (fields?["summary"] is not JsonValue summary || summary.GetValueKind() != JsonValueKind.String
            || (string?)fields["project"]?["key"] != project || fields["issuetype"]?["name"] is null)
        {
            await AnswerAsync(http, body, 400, Errors("summary", "You must specify a summary of the issue."));
            return;
        }

        if (fields["description"] is JsonNode description && description.GetValueKind() != JsonValueKind.Object)
        {
            await AnswerAsync(http, body, 400, Errors("description", "Operation value must be an Atlassian Document (see the Atlassian Document Format)"));
            return;
        }

        var number = Interlocked.Increment(ref _next);
        var key = string.Create(CultureInfo.InvariantCulture, $"{project}-{number}");
        _issues[key] = new FakeJiraIssue(key, (JsonObject)fields.DeepClone(), "To Do");
        await AnswerAsync(http, body, 201, new JsonObject
        {
            ["id"] = (10000 + number).ToString(CultureInfo.InvariantCulture),
            ["key"] = key,
            ["self"] = string.Create(CultureInfo.InvariantCulture, $"{BaseUrl}/rest/api/3/issue/{10000 + number}"),
        });
    }

    private async Task ListAsync(HttpContext http, string key)
    {
        if (await PreambleAsync(http, readBody: false) is null)
        {
            return;
        }

        if (!_issues.TryGetValue(key, out var issue))
        {
            await AnswerAsync(http, null, 404, Errors(null, "Issue does not exist or you do not have permission to see it."));
            return;
        }

        var list = new JsonArray();
        foreach (var (id, name, to, category) in Workflow[issue.Status])
        {
            list.Add(new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["to"] = new JsonObject { ["name"] = to, ["statusCategory"] = new JsonObject { ["key"] = category } },
                ["hasScreen"] = false,
                ["isAvailable"] = true,
            });
        }

        await AnswerAsync(http, null, 200, new JsonObject { ["transitions"] = list });
    }

    private async Task TransitionAsync(HttpContext http, string key)
    {
        var body = await PreambleAsync(http);
        if (body is null)
        {
            return;
        }

        var id = (string?)body["transition"]?["id"];
        if (!_issues.TryGetValue(key, out var issue))
        {
            await AnswerAsync(http, body, 404, Errors(null, "Issue does not exist or you do not have permission to see it."));
            return;
        }

        var step = Workflow[issue.Status].FirstOrDefault(t => t.Id == id);
        if (step.Id is null)
        {
            await AnswerAsync(http, body, 400, Errors("transition", "Transition id '" + id + "' is not valid for this issue."));
            return;
        }

        _issues[key] = issue with { Status = step.To };
        _calls.Enqueue(new FakeJiraCall(http.Request.Method, http.Request.Path.Value ?? "", 204, body));
        http.Response.StatusCode = 204;
    }

    private async Task<JsonObject?> PreambleAsync(HttpContext http, bool readBody = true)
    {
        JsonObject? body = null;
        if (readBody)
        {
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            }
            catch (JsonException)
            {
            }
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}"));
        if (http.Request.Headers.Authorization.ToString() != expected)
        {
            await AnswerAsync(http, body, 401, Errors(null, "Client must be authenticated to access this resource."));
            return null;
        }

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await AnswerAsync(http, body, fault.Status, Errors(null, "Rate limit exceeded."));
            return null;
        }

        if (readBody && body is null)
        {
            await AnswerAsync(http, null, 400, Errors(null, "Unexpected character in the JSON body."));
            return null;
        }

        return body ?? [];
    }

    private static JsonObject Errors(string? field, string message) => field is null
        ? new JsonObject { ["errorMessages"] = new JsonArray(message), ["errors"] = new JsonObject() }
        : new JsonObject { ["errorMessages"] = new JsonArray(), ["errors"] = new JsonObject { [field] = message } };

    private async Task AnswerAsync(HttpContext http, JsonObject? request, int status, JsonObject answer)
    {
        _calls.Enqueue(new FakeJiraCall(http.Request.Method, http.Request.Path.Value ?? "", status, request));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json;charset=UTF-8";
        await http.Response.WriteAsync(answer.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
