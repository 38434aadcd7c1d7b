using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// Slack's Web API over HTTP: JSON bodies for chat.* and views.*, form posts for the rest, GET for
/// reads; the bot token only ever in the Authorization header. <c>ok:false</c> becomes
/// <see cref="SlackApiException"/>, 429 <see cref="SlackRateLimitedException"/>, other failures
/// <see cref="SlackHttpException"/>, a call past <see cref="SlackOptions.RequestTimeout"/>
/// <see cref="SlackTimeoutException"/>.
/// </summary>
public sealed class SlackApiClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider clock)
{
    private readonly string _token = options.Value.BotToken ?? "";
    private readonly string _appToken = options.Value.AppToken ?? "";
    private readonly TimeSpan _timeout = options.Value.RequestTimeout;

    public Task<ChannelResponse> CreateConversationAsync(string name, CancellationToken ct) =>
        CallAsync<ChannelResponse>("conversations.create", [("name", name), ("is_private", "false")], ct);

    /// <summary>With force: one id Slack does not know (a deactivated person) does not stop the others being invited.</summary>
    public Task<JsonElement> InviteAsync(string channel, IEnumerable<string> users, CancellationToken ct) =>
        CallAsync<JsonElement>("conversations.invite", [("channel", channel), ("users", string.Join(',', users)), ("force", "true")], ct);

    public Task<JsonElement> SetTopicAsync(string channel, string topic, CancellationToken ct) =>
        CallAsync<JsonElement>("conversations.setTopic", [("channel", channel), ("topic", topic)], ct);

    public Task<JsonElement> ArchiveAsync(string channel, CancellationToken ct) =>
        CallAsync<JsonElement>("conversations.archive", [("channel", channel)], ct);

    public Task<JsonElement> SetPurposeAsync(string channel, string purpose, CancellationToken ct) =>
        CallAsync<JsonElement>("conversations.setPurpose", [("channel", channel), ("purpose", purpose)], ct);

    public Task<HistoryResponse> HistoryAsync(string channel, string ts, CancellationToken ct) =>
        CallAsync<HistoryResponse>("conversations.history", [("channel", channel), ("latest", ts), ("oldest", ts), ("inclusive", "true"), ("limit", "1")], ct);

    /// <summary>The message <paramref name="ts"/> of a thread (history never lists replies), bounded to that ts.</summary>
    public Task<HistoryResponse> RepliesAsync(string channel, string ts, CancellationToken ct) =>
        CallAsync<HistoryResponse>("conversations.replies", [("channel", channel), ("ts", ts), ("latest", ts), ("oldest", ts), ("inclusive", "true"), ("limit", "1")], ct);

    public Task<PostMessageResponse> PostMessageAsync(string channel, string text, JsonArray blocks, CancellationToken ct) =>
        CallJsonAsync<PostMessageResponse>("chat.postMessage", new JsonObject { ["channel"] = channel, ["text"] = text, ["blocks"] = blocks, ["unfurl_links"] = false }, ct);

    public Task<PostMessageResponse> UpdateMessageAsync(string channel, string ts, string text, JsonArray blocks, CancellationToken ct) =>
        CallJsonAsync<PostMessageResponse>("chat.update", new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks }, ct);

    public Task<JsonElement> PostEphemeralAsync(string channel, string user, string text, CancellationToken ct) =>
        CallJsonAsync<JsonElement>("chat.postEphemeral", new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text }, ct);

    public Task<PermalinkResponse> GetPermalinkAsync(string channel, string messageTs, CancellationToken ct) =>
        CallAsync<PermalinkResponse>("chat.getPermalink", [("channel", channel), ("message_ts", messageTs)], ct);

    public Task<JsonElement> PinAsync(string channel, string ts, CancellationToken ct) =>
        CallAsync<JsonElement>("pins.add", [("channel", channel), ("timestamp", ts)], ct);

    public Task<ViewResponse> OpenViewAsync(string triggerId, JsonObject view, CancellationToken ct) =>
        CallJsonAsync<ViewResponse>("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, ct);

    public Task<UserInfoResponse> UserInfoAsync(string user, CancellationToken ct) =>
        CallAsync<UserInfoResponse>("users.info", [("user", user)], ct);

    /// <summary>A fresh Socket Mode URL (one per connection): the app-level token, not the bot token, as Bearer; an empty form body.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken ct)
    {
        const string method = "apps.connections.open";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(method, UriKind.Relative)) { Content = new FormUrlEncodedContent([]) };
        var url = (await SendAsync<ConnectionOpenResponse>(method, request, ct, _appToken)).Url;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeWss || uri.Scheme == Uri.UriSchemeWs)
            ? uri
            : throw new SlackHttpException(method, 200, "url is not a WebSocket URL");
    }

    public Task<AuthTestResponse> AuthTestAsync(CancellationToken ct) => CallAsync<AuthTestResponse>("auth.test", [], ct);

    /// <summary>Files upload v2: get an upload URL, POST the bytes there, complete into the channel.</summary>
    public async Task UploadFileAsync(string channel, string fileName, string title, byte[] content, CancellationToken ct)
    {
        var target = await CallAsync<UploadUrlResponse>("files.getUploadURLExternal",
            [("filename", fileName), ("length", content.Length.ToString(CultureInfo.InvariantCulture))], ct);
        await WithTimeoutAsync("files upload", async token =>
        {
            using var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(target.UploadUrl)) { Content = new ByteArrayContent(content) };
            upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.SendAsync(upload, token);
            return response.IsSuccessStatusCode
                ? true
                : throw new SlackHttpException("files upload", (int)response.StatusCode, "upload URL refused the bytes");
        }, ct);

        var files = new JsonArray(new JsonObject { ["id"] = target.FileId, ["title"] = title }).ToJsonString();
        await CallAsync<JsonElement>("files.completeUploadExternal", [("files", files), ("channel_id", channel)], ct);
    }

    private async Task<T> CallAsync<T>(string method, (string Name, string Value)[] args, CancellationToken ct)
    {
        var transport = SlackMethods.All[method].Transport;
        HttpRequestMessage request;
        if (transport == SlackTransport.Query)
        {
            var query = string.Join('&', args.Select(a => $"{Uri.EscapeDataString(a.Name)}={Uri.EscapeDataString(a.Value)}"));
            request = new HttpRequestMessage(HttpMethod.Get, new Uri(query.Length == 0 ? method : $"{method}?{query}", UriKind.Relative));
        }
        else
        {
            // FormUrlEncodedContent sends no charset: Slack warns "superfluous_charset" on form posts that do.
            request = new HttpRequestMessage(HttpMethod.Post, new Uri(method, UriKind.Relative))
            {
                Content = new FormUrlEncodedContent(args.Select(a => new KeyValuePair<string, string>(a.Name, a.Value))),
            };
        }

        return await SendAsync<T>(method, request, ct);
    }

    private Task<T> CallJsonAsync<T>(string method, JsonObject body, CancellationToken ct)
    {
        var content = new StringContent(body.ToJsonString(SlackJson.Options), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return SendAsync<T>(method, new HttpRequestMessage(HttpMethod.Post, new Uri(method, UriKind.Relative)) { Content = content }, ct);
    }

    private async Task<T> SendAsync<T>(string method, HttpRequestMessage request, CancellationToken ct, string? token = null)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _token);
            return await WithTimeoutAsync(method, token => ReadAsync<T>(method, request, token), ct);
        }
    }

    /// <summary>
    /// Runs one call under its own deadline, so a hung Slack cannot hold a delivery or an answer; the
    /// caller's cancellation stays a cancellation, the deadline becomes <see cref="SlackTimeoutException"/>.
    /// </summary>
    private async Task<T> WithTimeoutAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var deadline = new Deadline(_timeout, clock, ct);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new SlackTimeoutException(method, _timeout, e);
        }
    }

    private async Task<T> ReadAsync<T>(string method, HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SlackRateLimitedException(method, response.Headers.RetryAfter?.Delta);
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackHttpException(method, (int)response.StatusCode, "error status");
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw new SlackHttpException(method, (int)response.StatusCode, "body is not JSON");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new SlackHttpException(method, (int)response.StatusCode, "body has no ok field");
        }

        if (!ok.GetBoolean())
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() ?? "unknown_error" : "unknown_error";
            var needed = root.TryGetProperty("needed", out var n) ? n.GetString() : null;
            throw new SlackApiException(method, error, needed);
        }

        return typeof(T) == typeof(JsonElement) ? (T)(object)root : root.Deserialize<T>(SlackJson.Options) ?? throw new SlackHttpException(method, 200, "empty body");
    }
}
