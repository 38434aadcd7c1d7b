using System.Text.Json.Nodes;

namespace IncidentBot.Testing.Slack;

/// <summary>One call the fake received, as it arrived.</summary>
public sealed record FakeSlackCall(
    string Method,
    string HttpMethod,
    string? ContentType,
    string? Authorization,
    string Body,
    IReadOnlyDictionary<string, string> Args,
    JsonObject? Json,
    int Status,
    TimeSpan At)
{
    public string Arg(string name) => Args.TryGetValue(name, out var value) ? value : "";
}

/// <summary>A scripted failure for the next calls of a method.</summary>
public abstract record FakeFault
{
    /// <summary>HTTP 429 with Retry-After.</summary>
    public sealed record RateLimited(int RetryAfterSeconds) : FakeFault;

    /// <summary>HTTP 500.</summary>
    public sealed record ServerError : FakeFault;

    /// <summary>Answers normally, but only after this long (a slow Slack).</summary>
    public sealed record Slow(TimeSpan Delay) : FakeFault;

    /// <summary>HTTP 200 with ok:false and this error code.</summary>
    public sealed record SlackError(string Code) : FakeFault;
}

/// <summary>A message the fake holds in a channel; a thread reply has the <see cref="ThreadTs"/> of its parent.</summary>
public sealed record FakeSlackMessage(string Channel, string Ts, string Text, JsonArray? Blocks, string? User, string? ThreadTs = null)
{
    /// <summary>A reply in a thread: conversations.history does not list it, conversations.replies does.</summary>
    public bool IsReply => ThreadTs is not null && ThreadTs != Ts;

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The blocks as JSON text with &lt; and &gt; left readable, for assertions.</summary>
    public string BlocksJson => Blocks?.ToJsonString(Readable) ?? "";
}

/// <summary>A message chat.postEphemeral showed to <see cref="Recipient"/> alone; Slack keeps no history of it.</summary>
public sealed record FakeSlackEphemeral(string Channel, string Ts, string Recipient, string Text, JsonArray? Blocks);

/// <summary>A file uploaded and shared into <see cref="Channel"/>; <see cref="Ts"/> orders it among the channel's messages.</summary>
public sealed record FakeSlackFile(string Id, string Name, string Title, byte[] Bytes, string Channel, string Ts);
