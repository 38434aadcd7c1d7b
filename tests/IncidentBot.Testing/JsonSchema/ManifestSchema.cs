using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace IncidentBot.Testing.JsonSchema;

/// <summary>A platform's published manifest schema, evaluated with JsonSchema.Net.</summary>
public sealed class ManifestSchema(Json.Schema.JsonSchema schema)
{
    private const string DraftFour = "http://json-schema.org/draft-04/schema#";

    // Slack's schema names no $schema and is written for draft-07, the dialect used when none is named.
    // Microsoft's Teams schema declares draft-04 but uses const and if/then (draft-06/07) and not
    // draft-04's boolean exclusiveMinimum/exclusiveMaximum; JsonSchema.Net has no draft-04, so that
    // URI is read with draft-07's keywords.
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    // A build registers the schema under its file URI in the global registry, which refuses a second build of it.
    private static readonly ConcurrentDictionary<string, Lazy<ManifestSchema>> Loaded = new(StringComparer.Ordinal);

    public static ManifestSchema Load(string schemaPath) =>
        Loaded.GetOrAdd(Path.GetFullPath(schemaPath), path => new(() => new(Json.Schema.JsonSchema.FromFile(path, CreateOptions())))).Value;

    /// <summary>Every failed keyword with the manifest location it failed at; empty when the manifest is valid.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement manifest)
    {
        var results = schema.Evaluate(manifest, Evaluation);
        return new[] { results }.Concat(results.Details ?? [])
            .SelectMany(node => (node.Errors ?? new Dictionary<string, string>()).Select(e => new SchemaError(node.InstanceLocation.ToString(), e.Key, e.Value)))
            .ToList();
    }

    private static BuildOptions CreateOptions()
    {
        var options = new BuildOptions { Dialect = Dialect.Draft07 };
        options.DialectRegistry.Register(Dialect.Draft07.With([], new Uri(DraftFour)));
        return options;
    }
}
