using System.Text.Json;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// One frame from Slack: a control frame (<c>hello</c>, <c>disconnect</c>: a type, no envelope_id) or an envelope
/// (<c>slash_commands</c>, <c>interactive</c>, <c>events_api</c>) whose payload is what HTTP would have delivered.
/// </summary>
internal sealed record SocketFrame(string Type, string? EnvelopeId, JsonElement? Payload, bool AcceptsResponsePayload, string? Reason, int? NumConnections)
{
    /// <summary>The frame, or null with <paramref name="problem"/> saying (without the content) why it is no frame.</summary>
    public static SocketFrame? Parse(ReadOnlySpan<byte> bytes, out string problem)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            problem = $"not JSON ({bytes.Length} bytes)";
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = $"not a JSON object ({root.ValueKind})";
            return null;
        }

        var envelopeId = String(root, "envelope_id");
        if (String(root, "type") is not { Length: > 0 } type)
        {
            problem = "no type";
            return envelopeId is null ? null : new SocketFrame("", envelopeId, null, false, null, null);
        }

        problem = "";
        return new SocketFrame(
            type,
            envelopeId,
            root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object ? payload : null,
            root.TryGetProperty("accepts_response_payload", out var accepts) && accepts.ValueKind == JsonValueKind.True,
            String(root, "reason"),
            root.TryGetProperty("num_connections", out var count) && count.TryGetInt32(out var n) ? n : null);
    }

    /// <summary>The ack: the envelope_id, with the answer as its payload when there is one.</summary>
    public static byte[] Ack(string envelopeId, object? payload) => payload is null
        ? JsonSerializer.SerializeToUtf8Bytes(new { envelope_id = envelopeId }, Inbound.SlackAnswer.Json)
        : JsonSerializer.SerializeToUtf8Bytes(new { envelope_id = envelopeId, payload }, Inbound.SlackAnswer.Json);

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
