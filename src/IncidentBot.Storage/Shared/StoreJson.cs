using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Storage.Shared;

/// <summary>How rows hold the parts that are documents (roles, outgoing messages).</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Roles(ImmutableSortedDictionary<string, Person> roles) => JsonSerializer.Serialize(roles, Options);

    public static ImmutableSortedDictionary<string, Person> Roles(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, Person>>(json, Options)?.ToImmutableSortedDictionary(StringComparer.Ordinal)
        ?? ImmutableSortedDictionary<string, Person>.Empty;

    public static string Message(OutgoingMessage message) => JsonSerializer.Serialize(message, Options);

    public static OutgoingMessage Message(string json) =>
        JsonSerializer.Deserialize<OutgoingMessage>(json, Options) ?? throw new JsonException("Empty outbox payload.");
}
