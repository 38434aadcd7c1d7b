using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

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
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(RichTextJsonConverter)])]
[JsonSerializable(typeof(OutgoingMessage))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(ChatFile))]
[JsonSerializable(typeof(ImmutableSortedDictionary<string, Person>))]
[JsonSerializable(typeof(Dictionary<string, Person>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
