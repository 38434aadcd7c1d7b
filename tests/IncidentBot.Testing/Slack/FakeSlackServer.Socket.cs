using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Testing.Slack;

/// <summary>
/// Socket Mode: apps.connections.open (app token as Bearer) hands out ws://127.0.0.1:PORT/link/?ticket=N, and
/// /link accepts the WebSocket and speaks the frames of the reference samples (tests/fixtures/slack/socket/).
/// </summary>
public sealed partial class FakeSlackServer
{
    private readonly ConcurrentQueue<FakeSocketModeConnection> _sockets = new();
    private int _nextSocket;

    /// <summary>The app-level token apps.connections.open accepts; null: every call gets invalid_auth.</summary>
    public string? AppToken { get; set; }

    /// <summary>Every Socket Mode connection the bot opened, oldest first.</summary>
    public IReadOnlyList<FakeSocketModeConnection> Sockets => _sockets.ToList();

    public IReadOnlyList<FakeSocketModeConnection> OpenSockets => _sockets.Where(s => s.IsOpen).ToList();

    /// <summary>A frame from tests/fixtures/slack/socket/.</summary>
    public static JsonObject SocketSample(string file) =>
        JsonNode.Parse(System.IO.File.ReadAllText(RepoPaths.Fixture("slack", "socket", file)))!.AsObject();

    private JsonObject OpenConnection(string auth)
    {
        if (AppToken is null || auth != $"Bearer {AppToken}")
        {
            return SocketSample("apps.connections.open.error-invalid_auth.json");
        }

        // Every field of the Web API sample, the values of the Socket Mode one.
        var response = Fill(Template("apps.connections.open"), SocketSample("apps.connections.open.response.json"));
        var ticket = Interlocked.Increment(ref _nextSocket);
        response["url"] = $"{Origin.Replace("http://", "ws://", StringComparison.Ordinal)}/link/?ticket={ticket.ToString(CultureInfo.InvariantCulture)}&app_id=A07K58AR4RF";
        return response;
    }

    private async Task AcceptSocketAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest || !int.TryParse(http.Request.Query["ticket"], NumberStyles.None, CultureInfo.InvariantCulture, out var ticket))
        {
            http.Response.StatusCode = 400;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var connection = new FakeSocketModeConnection(socket, ticket);
        _sockets.Enqueue(connection);
        var hello = SocketSample("hello.json");
        hello["num_connections"] = OpenSockets.Count;
        await connection.RunAsync(hello.ToJsonString());
    }
}
