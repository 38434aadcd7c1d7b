using System.Collections.Concurrent;
using System.Net.WebSockets;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.SocketMode;

/// <summary>Why a connection stopped serving: what its keeper should do next.</summary>
internal enum SocketEnd
{
    /// <summary>disconnect warning / refresh_requested: open the next connection, then close this one.</summary>
    Refresh,

    /// <summary>disconnect link_disabled (Socket Mode switched off in the app's settings): stop.</summary>
    Disabled,

    /// <summary>disconnect too_many_websockets: close this one and wait before another.</summary>
    TooMany,

    /// <summary>Closed without a disconnect frame, or broken: reconnect with backoff.</summary>
    Lost,
}

/// <summary>
/// One Socket Mode WebSocket: reads frames, acks every envelope on this same socket (Slack does not say an ack on
/// another counts), and tells its keeper through <see cref="Ended"/> when Slack wants it gone. It goes on reading
/// and acking until <see cref="CloseAsync"/>, so a refresh loses nothing.
/// </summary>
internal sealed class SocketModeConnection : IAsyncDisposable
{
    /// <summary>Slack sends hello first; a connection without one in this time is broken.</summary>
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP body limit: nothing legitimate is near it.</summary>
    public const int MaxFrameBytes = SlackRequestReader.MaxBodyBytes;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket;
    private readonly SocketModeRouter _router;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<long, Task> _inHand = new();
    private readonly TaskCompletionSource<SocketFrame> _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(SocketEnd End, string Reason)> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _next;
    private volatile bool _draining;
    private Task _reading = Task.CompletedTask;

    private SocketModeConnection(ClientWebSocket socket, SocketModeRouter router, TimeProvider clock, ILogger logger)
    {
        _socket = socket;
        _router = router;
        _clock = clock;
        _logger = logger;
    }

    public Task<(SocketEnd End, string Reason)> Ended => _ended.Task;

    /// <summary>Connects to <paramref name="url"/> and waits for hello; the hello frame, or an exception.</summary>
    public static async Task<(SocketModeConnection Connection, SocketFrame Hello)> OpenAsync(Uri url, SocketModeRouter router, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();

        // Pings with a timeout (.NET 9+): a dead peer aborts the socket, which reconnects like any loss.
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(5);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(15);
        var connection = new SocketModeConnection(socket, router, clock, logger);
        try
        {
            using (var connecting = new Deadline(HelloTimeout, clock, cancellationToken))
            {
                await socket.ConnectAsync(url, connecting.Token);
            }

            connection._reading = Task.Run(connection.ReadAsync, CancellationToken.None);
            var first = await Task.WhenAny(connection._hello.Task, connection._ended.Task, Task.Delay(HelloTimeout, clock, cancellationToken));
            return first == connection._hello.Task
                ? (connection, await connection._hello.Task)
                : throw new WebSocketException(first == connection._ended.Task ? $"closed before hello ({connection._ended.Task.Result.Reason})" : "no hello in time");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops taking envelopes, finishes and acks those in hand, and closes with a normal close.</summary>
    public async Task CloseAsync()
    {
        _draining = true;
        await Task.WhenAll(_inHand.Values);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new Deadline(CloseTimeout, _clock, CancellationToken.None);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token);
                await _reading.WaitAsync(closing.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went first or did not answer the close: nothing is left to ack on this socket.
        }

        await DisposeAsync();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[16 * 1024];
        using var frame = new MemoryStream();
        var oversized = false;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                _ended.TrySetResult((SocketEnd.Lost, "connection broken"));
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                _ended.TrySetResult((SocketEnd.Lost, $"closed by Slack ({_socket.CloseStatus})"));
                return;
            }

            if (!oversized && frame.Length + result.Count > MaxFrameBytes)
            {
                oversized = true;
                frame.SetLength(0);
            }

            if (!oversized)
            {
                frame.Write(buffer, 0, result.Count);
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (oversized)
            {
                Log.FrameIgnored(_logger, $"frame over {MaxFrameBytes} bytes");
            }
            else if (result.MessageType == WebSocketMessageType.Binary)
            {
                Log.FrameIgnored(_logger, "binary frame");
            }
            else
            {
                Take(frame.GetBuffer().AsSpan(0, (int)frame.Length));
            }

            frame.SetLength(0);
            oversized = false;
        }
    }

    private void Take(ReadOnlySpan<byte> bytes)
    {
        if (SocketFrame.Parse(bytes, out var problem) is not { } frame)
        {
            Log.FrameIgnored(_logger, problem);
            return;
        }

        if (frame.EnvelopeId is { Length: > 0 } envelopeId)
        {
            if (_draining)
            {
                // Not acked: Slack delivers it again, to another connection or replica.
                return;
            }

            var key = Interlocked.Increment(ref _next);
            var answering = AnswerAsync(envelopeId, frame, key);
            _inHand[key] = answering;
            if (answering.IsCompleted)
            {
                // It finished (and removed itself) before it was added.
                _inHand.TryRemove(key, out _);
            }

            return;
        }

        switch (frame.Type)
        {
            case "hello":
                _hello.TrySetResult(frame);
                break;
            case "disconnect":
                var reason = frame.Reason ?? "";
                _ended.TrySetResult(reason switch
                {
                    "warning" or "refresh_requested" => (SocketEnd.Refresh, reason),
                    "link_disabled" or "socket_mode_disabled" => (SocketEnd.Disabled, $"Slack sent disconnect {reason} (Socket Mode is off in the app's settings)"),
                    "too_many_websockets" => (SocketEnd.TooMany, reason),
                    _ => (SocketEnd.Lost, $"disconnect {Truncate(reason)}"),
                });
                break;
            default:
                Log.FrameIgnored(_logger, $"control frame of unknown type '{Truncate(frame.Type)}'");
                break;
        }
    }

    private async Task AnswerAsync(string envelopeId, SocketFrame envelope, long key)
    {
        try
        {
            await Task.Yield();
            var payload = await _router.AnswerAsync(envelope);
            await SendAsync(SocketFrame.Ack(envelopeId, payload));
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            Log.AckNotSent(_logger, Truncate(envelopeId), e);
        }
        finally
        {
            _inHand.TryRemove(key, out _);
        }
    }

    private async Task SendAsync(byte[] ack)
    {
        // One send at a time: ClientWebSocket allows a single outstanding send.
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(ack, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length > 40 ? value[..40] : value;

    public async ValueTask DisposeAsync()
    {
        _draining = true;
        _socket.Abort();
        _socket.Dispose();
        await _reading.ConfigureAwait(false);
        _sending.Dispose();
    }
}
