using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentBot.Testing.Slack;

/// <summary>An ack the fake received: its JSON and how long after the envelope was sent it came.</summary>
public sealed record FakeSocketAck(string EnvelopeId, JsonObject Json, TimeSpan Latency)
{
    public JsonObject? Payload => Json["payload"] as JsonObject;
}

/// <summary>
/// One Socket Mode WebSocket the fake Slack holds with the bot: it sends hello first, then whatever the test sends
/// (envelopes, disconnect frames, garbage), and records every ack with its latency.
/// </summary>
public sealed class FakeSocketModeConnection(WebSocket socket, int id) : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeSocketAck> _acks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FakeSocketAck>> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _unmatched = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Id { get; } = id;

    /// <summary>Stopwatch timestamps: when the fake accepted the socket, and when it ended (0 while open).</summary>
    public long OpenedAt { get; } = Stopwatch.GetTimestamp();

    public long ClosedAt { get; private set; }

    public bool IsOpen => socket.State == WebSocketState.Open && !_closed.Task.IsCompleted;

    /// <summary>The close status the bot sent, once it closed (null: it has not, or the socket broke).</summary>
    public WebSocketCloseStatus? ClosedBy { get; private set; }

    public IReadOnlyDictionary<string, FakeSocketAck> Acks => _acks;

    /// <summary>Frames from the bot that were no ack of an envelope this connection sent.</summary>
    public IReadOnlyCollection<string> Unmatched => _unmatched;

    public Task Closed => _closed.Task;

    /// <summary>Sends an envelope (its envelope_id as given) and returns that id.</summary>
    public async Task<string> SendEnvelopeAsync(JsonObject envelope)
    {
        var id = (string)envelope["envelope_id"]!;
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource<FakeSocketAck>(TaskCreationOptions.RunContinuationsAsynchronously));
        _sentAt[id] = Stopwatch.GetTimestamp();
        await SendTextAsync(envelope.ToJsonString());
        return id;
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] bytes) => SendAsync(bytes, WebSocketMessageType.Binary);

    /// <summary>The ack of <paramref name="envelopeId"/>, waiting up to <paramref name="timeout"/> (10 s when not given); null if none came.</summary>
    public async Task<FakeSocketAck?> AckAsync(string envelopeId, TimeSpan? timeout = null)
    {
        var ack = _waiting.GetOrAdd(envelopeId, _ => new TaskCompletionSource<FakeSocketAck>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        await Task.WhenAny(ack, _closed.Task, Task.Delay(timeout ?? TimeSpan.FromSeconds(10)));
        return _acks.GetValueOrDefault(envelopeId);
    }

    /// <summary>Drops the TCP connection with no close handshake, as a network failure would.</summary>
    public void Abort() => socket.Abort();

    internal async Task RunAsync(string hello)
    {
        await SendTextAsync(hello);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedBy = result.CloseStatus;
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Record(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted by the test or by the bot.
        }
        finally
        {
            ClosedAt = Stopwatch.GetTimestamp();
            _closed.TrySetResult();
        }
    }

    private void Record(string text)
    {
        var received = Stopwatch.GetTimestamp();
        if (JsonNode.Parse(text) is JsonObject ack && ack["envelope_id"]?.GetValue<string>() is { } id && _sentAt.TryGetValue(id, out var sent))
        {
            var recorded = new FakeSocketAck(id, ack, Stopwatch.GetElapsedTime(sent, received));
            if (_acks.TryAdd(id, recorded))
            {
                _waiting.GetOrAdd(id, _ => new TaskCompletionSource<FakeSocketAck>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(recorded);
            }
            else
            {
                _unmatched.Enqueue(text);
            }
        }
        else
        {
            _unmatched.Enqueue(text);
        }
    }

    private async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sending.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    public void Dispose() => _sending.Dispose();
}
