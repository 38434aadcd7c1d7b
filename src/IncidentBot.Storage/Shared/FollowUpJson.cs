using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.FollowUps;

namespace IncidentBot.Storage.Shared;

/// <summary>How every store holds an incident's follow-ups: one JSON array beside the incident, so they save with it.</summary>
internal static class FollowUpJson
{
    public static string Write(ImmutableList<FollowUp> followUps) =>
        followUps.IsEmpty ? "[]" : JsonSerializer.Serialize(followUps, FollowUpJsonContext.Default.ImmutableListFollowUp);

    public static ImmutableList<FollowUp> Read(string? json) =>
        json is null or "[]" or ""
            ? []
            : JsonSerializer.Deserialize(json, FollowUpJsonContext.Default.ListFollowUp)?.ToImmutableList() ?? [];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImmutableList<FollowUp>))]
[JsonSerializable(typeof(List<FollowUp>))]
internal sealed partial class FollowUpJsonContext : JsonSerializerContext;
