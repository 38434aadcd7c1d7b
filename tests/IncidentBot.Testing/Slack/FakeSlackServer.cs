using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Testing.Slack;

/// <summary>
/// A fake of Slack's Web API on 127.0.0.1: real HTTP, Slack's wire format (HTTP 200 + ok, 429 +
/// Retry-After), response shapes built on the reference samples (samples/api/&lt;method&gt;.json), state
/// (channels, messages, pins, files), a record of every call, and scripted faults.
/// </summary>
public sealed partial class FakeSlackServer(string token) : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeSlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeFault>> _faults = new(StringComparer.Ordinal);
    private readonly CallFaults<FakeFault> _callFaults = new();
    private readonly object _state = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private WebApplication? _app;
    private volatile bool _down;

    /// <summary>e.g. http://127.0.0.1:PORT/api/</summary>
    public string BaseUrl { get; private set; } = "";

    public string Origin { get; private set; } = "";

    public IReadOnlyCollection<FakeSlackCall> Calls => _calls;

    /// <summary>How many calls of <paramref name="method"/> arrived, answered or not yet.</summary>
    public int Started(string method) => _started.TryGetValue(method, out var count) ? count : 0;

    public IReadOnlyList<FakeSlackCall> CallsTo(string method) => _calls.Where(c => c.Method == method && c.Status == 200).ToList();

    public async Task StartAsync()
    {
        (_app, var origin) = await LoopbackApp.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/link", AcceptSocketAsync);
            app.MapMethods("/api/{method}", ["GET", "POST"], HandleAsync);
            app.MapPost("/upload/{fileId}", UploadAsync);
        });
        Origin = origin;
        BaseUrl = Origin + "/api/";
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> fail this way.</summary>
    public void FailNext(string method, int count, FakeFault fault)
    {
        var queue = _faults.GetOrAdd(method, _ => new ConcurrentQueue<FakeFault>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>How many faults queued by <see cref="FailNext"/> no call of <paramref name="method"/> has met yet.</summary>
    public int FaultsLeft(string method) => _faults.TryGetValue(method, out var queue) ? queue.Count : 0;

    /// <summary>
    /// Web API calls of any method (but apps.connections.open) are counted: the next <paramref name="after"/> pass,
    /// the <paramref name="count"/> after them fail this way.
    /// </summary>
    public void FailCalls(int after, int count, FakeFault fault) => _callFaults.Arm(after, count, fault);

    /// <summary>How many faults armed by <see cref="FailCalls"/> no call has met yet.</summary>
    public int CallFaultsLeft => _callFaults.Left;

    /// <summary>How long every Web API call (but apps.connections.open) takes before it is answered.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>While down, every call answers HTTP 500 (an outage).</summary>
    public void SetDown(bool down) => _down = down;

    private async Task HandleAsync(HttpContext http, string method)
    {
        _started.AddOrUpdate(method, 1, (_, n) => n + 1);
        var body = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var (args, json) = ParseArgs(http.Request, body);
        var auth = http.Request.Headers.Authorization.ToString();

        async Task Answer(int status, JsonObject? payload, int? retryAfter = null)
        {
            _calls.Enqueue(new FakeSlackCall(method, http.Request.Method, http.Request.ContentType, auth, body, args, json, status, _clock.Elapsed));
            http.Response.StatusCode = status;
            if (retryAfter is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            if (payload is not null)
            {
                http.Response.ContentType = "application/json; charset=utf-8";
                await http.Response.WriteAsync(payload.ToJsonString());
            }
        }

        if (Latency > TimeSpan.Zero && method != "apps.connections.open")
        {
            try
            {
                await Task.Delay(Latency, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (_down)
        {
            await Answer(500, null);
            return;
        }

        var fault = method == "apps.connections.open" ? null : _callFaults.Next();
        if (fault is not null || (_faults.TryGetValue(method, out var queue) && queue.TryDequeue(out fault)))
        {
            switch (fault)
            {
                case FakeFault.RateLimited limited:
                    await Answer(429, Error("ratelimited"), limited.RetryAfterSeconds);
                    return;
                case FakeFault.ServerError:
                    await Answer(500, null);
                    return;
                case FakeFault.SlackError error:
                    await Answer(200, Error(error.Code));
                    return;
                case FakeFault.Slow slow:
                    try
                    {
                        await Task.Delay(slow.Delay, http.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        // The caller gave up (its timeout): nothing to answer, and the fake can stop at once.
                        return;
                    }

                    break;
            }
        }

        if (!KnownMethods.Contains(method))
        {
            await Answer(200, Error("unknown_method"));
            return;
        }

        if (method == "apps.connections.open")
        {
            await Answer(200, OpenConnection(auth));
            return;
        }

        if (auth != $"Bearer {token}")
        {
            await Answer(200, Error(auth.Length == 0 ? "not_authed" : "invalid_auth"));
            return;
        }

        JsonObject result;
        lock (_state)
        {
            result = Respond(method, args, json);
        }

        await Answer(200, result);
    }

    private static (Dictionary<string, string> Args, JsonObject? Json) ParseArgs(HttpRequest request, string body)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            args[key] = value.ToString();
        }

        JsonObject? json = null;
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            json = JsonNode.Parse(body) as JsonObject;
            foreach (var (key, value) in json ?? [])
            {
                args[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            }
        }
        else if (body.Length > 0)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(body))
            {
                args[key] = value.ToString();
            }
        }

        return (args, json);
    }

    private static JsonObject Error(string code) => new() { ["ok"] = false, ["error"] = code };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
