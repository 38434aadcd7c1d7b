using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Storage.Shared;

/// <summary>How rows hold the parts that are documents (roles, outgoing messages); source-generated, no reflection.</summary>
internal static class StoreJson
{
    public static string Roles(ImmutableSortedDictionary<string, Person> roles) =>
        roles.Count == 0 ? "{}" : JsonSerializer.Serialize(roles, StoreJsonContext.Default.ImmutableSortedDictionaryStringPerson);

    public static ImmutableSortedDictionary<string, Person> Roles(string json) =>
        json == "{}"
            ? ImmutableSortedDictionary<string, Person>.Empty
            : JsonSerializer.Deserialize(json, StoreJsonContext.Default.DictionaryStringPerson)?.ToImmutableSortedDictionary(StringComparer.Ordinal)
              ?? ImmutableSortedDictionary<string, Person>.Empty;

    public static string Message(OutgoingMessage message) => JsonSerializer.Serialize(message, StoreJsonContext.Default.OutgoingMessage);

    public static OutgoingMessage Message(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.OutgoingMessage) ?? throw new JsonException("Empty outbox payload.");

    public static string ChatMessage(ChatMessage message) => JsonSerializer.Serialize(message, StoreJsonContext.Default.ChatMessage);

    public static ChatMessage ChatMessage(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.ChatMessage) ?? throw new JsonException("Empty sandbox message.");

    public static string? File(ChatFile? file) => file is null ? null : JsonSerializer.Serialize(file, StoreJsonContext.Default.ChatFile);

    public static ChatFile? File(string? json) => json is null ? null : JsonSerializer.Deserialize(json, StoreJsonContext.Default.ChatFile);

    /// <summary>A sandbox message as both kinds of store hold it: the message and its file as JSON, instants as UTC ticks.</summary>
    public static SandboxMessageRow SandboxMessageRow(SandboxMessage message) => new(
        message.Sequence, message.ConversationId, message.MessageRef, message.RecipientId, ChatMessage(message.Message), File(message.File),
        message.PostedAt.UtcTicks, message.EditedAt?.UtcTicks);

    public static SandboxMessage SandboxMessage(SandboxMessageRow row) => new(
        row.Sequence, row.ConversationId, row.MessageRef, row.RecipientId, ChatMessage(row.Message), File(row.File),
        new DateTimeOffset(row.PostedAt, TimeSpan.Zero), row.EditedAt is { } edited ? new DateTimeOffset(edited, TimeSpan.Zero) : null);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(RichTextJsonConverter)])]
[JsonSerializable(typeof(OutgoingMessage))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(ChatFile))]
[JsonSerializable(typeof(ImmutableSortedDictionary<string, Person>))]
[JsonSerializable(typeof(Dictionary<string, Person>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
