using System.Text;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Hands each envelope to the handler the HTTP route of its kind uses (one path into Core) and turns the answer
/// into the ack's payload where Slack accepts one. The ack never waits past <see cref="AckDeadline"/>.
/// </summary>
internal sealed class SocketModeRouter(
    SlackCommandHandler commands,
    SlackInteractionHandler interactions,
    SlackEventHandler events,
    SocketModeStatus status,
    TimeProvider clock,
    ILogger<SocketModeRouter> logger)
{
    /// <summary>Inside Slack's 3 seconds with room for the network; the handlers' own budget (2 s) comes first.</summary>
    public static readonly TimeSpan AckDeadline = TimeSpan.FromMilliseconds(2500);

    /// <summary>The ack's payload for <paramref name="envelope"/>, or null for a bare ack; the answer's time is reported to <see cref="SocketModeStatus"/>.</summary>
    public async Task<object?> AnswerAsync(SocketFrame envelope)
    {
        var started = clock.GetTimestamp();
        var answer = await AnswerOnTimeAsync(envelope);
        if (KindOf(envelope.Type) is { } kind)
        {
            status.Answered(kind, clock.GetElapsedTime(started));
        }

        return answer;
    }

    /// <summary>The envelope types, as the kinds their HTTP routes have.</summary>
    private static string? KindOf(string type) => type switch
    {
        "slash_commands" => "command",
        "interactive" => "interaction",
        "events_api" => "event",
        _ => null,
    };

    private async Task<object?> AnswerOnTimeAsync(SocketFrame envelope)
    {
        if (envelope.Payload is not { } payload)
        {
            Log.FrameIgnored(logger, $"{Truncate(envelope.Type)} envelope without a payload object");
            return null;
        }

        // Task.Run: a handler may block synchronously on the store before its first await.
        Task<SlackAnswer>? work = envelope.Type switch
        {
            "slash_commands" => Task.Run(() => commands.AnswerAsync(SlackFields.FromJson(payload), CancellationToken.None)),
            "interactive" => Task.Run(() => interactions.AnswerAsync(payload.GetRawText(), CancellationToken.None)),
            "events_api" => Task.Run(() => events.AnswerAsync(Encoding.UTF8.GetBytes(payload.GetRawText()), CancellationToken.None)),
            _ => null,
        };
        if (work is null)
        {
            Log.FrameIgnored(logger, $"envelope of unknown type '{Truncate(envelope.Type)}'");
            return null;
        }

        // The deadline's timer is cancelled as soon as the answer is in: at 200 envelopes/s they would pile up.
        using var answered = new CancellationTokenSource();
        var first = await Task.WhenAny(work, Task.Delay(AckDeadline, clock, answered.Token));
        await answered.CancelAsync();
        if (first != work)
        {
            Log.AckedBeforeAnswer(logger, envelope.EnvelopeId ?? "", envelope.Type);
            _ = work.ContinueWith(t => Log.BackgroundFailed(logger, envelope.Type, t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return null;
        }

        try
        {
            var answer = await work;
            return envelope.AcceptsResponsePayload && answer.Refusal is null ? answer.Body : null;
        }
        catch (Exception e)
        {
            // Cancelled by shutdown or failed: the envelope is still acked, bare, so Slack does not wait on it.
            Log.BackgroundFailed(logger, envelope.Type, e);
            return null;
        }
    }

    private static string Truncate(string value) => value.Length > 40 ? value[..40] : value;
}
