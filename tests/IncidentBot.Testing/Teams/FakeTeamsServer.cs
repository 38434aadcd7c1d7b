using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Testing.Teams;

/// <summary>
/// A fake of what the bot calls in Microsoft's cloud, on 127.0.0.1 in one Kestrel app: the Entra token
/// endpoint (client credentials), the Bot Connector (serviceUrl) and Microsoft Graph channel creation. Real
/// HTTP and wire formats, state (channels, threads, activities and their latest versions), a record of every
/// call with its raw path, and scripted faults.
/// </summary>
public sealed partial class FakeTeamsServer(string appId = FakeTeamsServer.DefaultAppId, string appPassword = FakeTeamsServer.DefaultAppPassword, string tenantId = FakeTeamsServer.DefaultTenantId)
    : IAsyncDisposable
{
    public const string DefaultAppId = "5e1f0c2a-7d3b-4c4e-9a51-00000000b07a";
    public const string DefaultAppPassword = "fake-teams-app-password";
    public const string DefaultTenantId = "72f988bf-0000-4000-8000-00000000fa4e";
    public const string BotConnectorScope = "https://api.botframework.com/.default";
    public const string GraphScope = "https://graph.microsoft.com/.default";

    private readonly ConcurrentQueue<FakeTeamsCall> _calls = new();
    private readonly Dictionary<string, Queue<FakeTeamsFault>> _faults = new(StringComparer.Ordinal);
    private readonly CallFaults<FakeTeamsFault> _callFaults = new();
    private readonly object _state = new();
    private WebApplication? _app;

    public string AppId => appId;

    public string AppPassword => appPassword;

    public string TenantId => tenantId;

    /// <summary>e.g. http://127.0.0.1:PORT (no trailing slash).</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The Bot Connector base, ending in '/': what an activity's <c>serviceUrl</c> would say.</summary>
    public string ServiceUrl => Origin + "/";

    /// <summary>Value for <c>Teams:TokenEndpoint</c>, ending in '/': tokens come from <c>{TokenEndpoint}{tenant}/oauth2/v2.0/token</c>.</summary>
    public string TokenEndpoint => Origin + "/";

    /// <summary>Value for <c>Teams:GraphBaseUrl</c>, ending in '/v1.0/'.</summary>
    public string GraphBaseUrl => Origin + "/graph/v1.0/";

    /// <summary>While true, Graph channel creation answers 403 (the app lacks Channel.Create).</summary>
    public bool GraphForbidden { get; set; }

    /// <summary>
    /// Behave like the Agents Playground's connector: an activity with both text and attachments is split and
    /// answered 202 with no body.
    /// </summary>
    public bool PlaygroundMode { get; set; }

    /// <summary>Like the Playground's mock connector: calls without an Authorization header are served too.</summary>
    public bool AcceptsAnonymous { get; set; }

    public IReadOnlyCollection<FakeTeamsCall> Calls => _calls;

    /// <summary>Calls of one route (see <see cref="FakeTeamsRoutes"/>), in order, whatever their status.</summary>
    public IReadOnlyList<FakeTeamsCall> CallsTo(string route) => _calls.Where(c => c.Route == route).ToList();

    /// <summary>Successful calls of one route.</summary>
    public IReadOnlyList<FakeTeamsCall> SuccessfulCallsTo(string route) => _calls.Where(c => c.Route == route && c.Status is >= 200 and < 300).ToList();

    public async Task StartAsync()
    {
        (_app, var origin) = await LoopbackApp.StartAsync(app => app.Run(HandleAsync));
        Origin = origin;
    }

    /// <summary>
    /// The next <paramref name="count"/> calls of <paramref name="route"/> answer <paramref name="status"/> (with
    /// Retry-After seconds if given). With <paramref name="afterApplying"/> the call is carried out first and only a
    /// successful answer is replaced, as when the service times out after it did the work; a call that fails on its
    /// own leaves the fault for the next one.
    /// </summary>
    public void FailNext(string route, int count, int status, int? retryAfterSeconds = null, bool afterApplying = false)
    {
        lock (_faults)
        {
            if (!_faults.TryGetValue(route, out var queue))
            {
                queue = new Queue<FakeTeamsFault>();
                _faults[route] = queue;
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(new FakeTeamsFault(status, retryAfterSeconds, afterApplying));
            }
        }
    }

    /// <summary>
    /// Calls to the Bot Connector and Graph (not the token endpoint, whose client retries on its own) are counted:
    /// the next <paramref name="after"/> pass, the <paramref name="count"/> after them answer <paramref name="status"/>.
    /// </summary>
    public void FailCalls(int after, int count, int status, int? retryAfterSeconds = null) =>
        _callFaults.Arm(after, count, new FakeTeamsFault(status, retryAfterSeconds, AfterApplying: false));

    /// <summary>How many faults armed by <see cref="FailCalls"/> no call has met yet.</summary>
    public int CallFaultsLeft => _callFaults.Left;

    /// <summary>Takes the next fault of <paramref name="route"/> if it is one that applies at this point of the call.</summary>
    private FakeTeamsFault? TakeFault(string route, bool afterApplying)
    {
        lock (_faults)
        {
            return _faults.TryGetValue(route, out var queue) && queue.TryPeek(out var fault) && fault.AfterApplying == afterApplying
                ? queue.Dequeue()
                : null;
        }
    }

    private static Answer FaultAnswer(string route, FakeTeamsFault fault)
    {
        var message = fault.AfterApplying ? "Scripted fault: the call was applied, the answer was lost" : "Scripted fault";
        return route == FakeTeamsRoutes.Token
            ? new(fault.Status, new JsonObject { ["error"] = "temporarily_unavailable", ["error_description"] = message }, fault.RetryAfter)
            : new(fault.Status, Error(CodeFor(fault.Status), message), fault.RetryAfter);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.ToString();
        var rawPath = raw.Split('?')[0];
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var path = "/" + string.Join('/', segments);
        var text = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonNode? body = null;
        if (http.Request.HasFormContentType)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(text))
            {
                form[key] = value.ToString();
            }
        }
        else if (text.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                body = null;
            }
        }

        var auth = http.Request.Headers.Authorization.ToString();
        var route = RouteOf(http.Request.Method, segments);
        var answer = Dispatch(route, http.Request.Method, segments, auth, body, form, http.Request.Query["$filter"].ToString());
        _calls.Enqueue(new FakeTeamsCall(route, http.Request.Method, path, rawPath, auth.Length == 0 ? null : auth, body, form, answer.Status));
        http.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (answer.Body is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(answer.Body.ToJsonString());
        }
    }

    private static string RouteOf(string method, string[] s) => (method, s.Length) switch
    {
        ("POST", 4) when s[1] == "oauth2" && s[2] == "v2.0" && s[3] == "token" => FakeTeamsRoutes.Token,
        ("POST", 2) when s[0] == "v3" && s[1] == "conversations" => FakeTeamsRoutes.CreateConversation,
        ("POST", 4 or 5) when s[0] == "v3" && s[1] == "conversations" && s[3] == "activities" => FakeTeamsRoutes.SendActivity,
        ("PUT", 5) when s[0] == "v3" && s[1] == "conversations" && s[3] == "activities" => FakeTeamsRoutes.UpdateActivity,
        ("POST", 5) when s[0] == "graph" && s[1] == "v1.0" && s[2] == "teams" && s[4] == "channels" => FakeTeamsRoutes.CreateChannel,
        ("GET", 5) when s[0] == "graph" && s[1] == "v1.0" && s[2] == "teams" && s[4] == "channels" => FakeTeamsRoutes.ListChannels,
        _ => FakeTeamsRoutes.Unknown,
    };

    private Answer Dispatch(string route, string method, string[] segments, string auth, JsonNode? body, Dictionary<string, string> form, string filter)
    {
        if (route == FakeTeamsRoutes.Unknown)
        {
            return new(404, Error("NotFound", $"No route for {method} {string.Join('/', segments)}"));
        }

        if ((route == FakeTeamsRoutes.Token ? null : _callFaults.Next()) is { } counted)
        {
            return FaultAnswer(route, counted);
        }

        if (TakeFault(route, afterApplying: false) is { } fault)
        {
            return FaultAnswer(route, fault);
        }

        var answer = Apply(route, segments, auth, body, form, filter);
        return answer.Status is >= 200 and < 300 && TakeFault(route, afterApplying: true) is { } lost
            ? FaultAnswer(route, lost)
            : answer;
    }

    private Answer Apply(string route, string[] segments, string auth, JsonNode? body, Dictionary<string, string> form, string filter)
    {
        if (route == FakeTeamsRoutes.Token)
        {
            return IssueToken(segments[0], form);
        }

        var needed = route is FakeTeamsRoutes.CreateChannel or FakeTeamsRoutes.ListChannels ? GraphScope : BotConnectorScope;
        if (!(AcceptsAnonymous && auth.Length == 0) && !IsValidToken(auth, needed))
        {
            return new(401, Error("Unauthorized", auth.Length == 0 ? "Authorization has been denied for this request." : "Token is not valid for this audience or has been revoked."));
        }

        lock (_state)
        {
            return route switch
            {
                FakeTeamsRoutes.CreateConversation => CreateConversation(body as JsonObject),
                FakeTeamsRoutes.SendActivity => SendActivity(segments[2], body as JsonObject),
                FakeTeamsRoutes.UpdateActivity => UpdateActivity(segments[2], segments[4], body as JsonObject),
                FakeTeamsRoutes.ListChannels => ListChannels(segments[3], filter),
                _ => CreateChannel(segments[3], body as JsonObject),
            };
        }
    }

    private static string CodeFor(int status) => status switch
    {
        400 => "BadSyntax",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        408 => "RequestTimeout",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "ServiceError",
    };

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private sealed record Answer(int Status, JsonObject? Body, int? RetryAfter = null);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
