using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IncidentBot.Testing.JsonSchema;

/// <summary>
/// A JSON Schema (draft-07) validator for the keywords the platforms' manifest schemas use:
/// type, enum, const, properties, required, additionalProperties, patternProperties,
/// min/maxProperties, items, min/maxItems, uniqueItems, min/maxLength, pattern, anyOf, oneOf,
/// allOf, $ref (local). No validator package is available here, so tests carry this one.
/// </summary>
public sealed class DraftSevenValidator(JsonElement root)
{
    public static DraftSevenValidator Load(string schemaPath) => new(JsonDocument.Parse(File.ReadAllText(schemaPath)).RootElement);

    /// <summary>Every violation as "path: problem"; empty when the instance is valid.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), value, path, errors);
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            errors.Add($"{path}: expected type {type}, got {value.ValueKind}");
            return;
        }

        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value} is not one of {options}");
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            errors.Add($"{path}: must be {constant}");
        }

        foreach (var keyword in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema.TryGetProperty(keyword, out var subs))
            {
                var passing = subs.EnumerateArray().Count(s => { var e = new List<string>(); Check(s, value, path, e); return e.Count == 0; });
                var total = subs.GetArrayLength();
                var ok = keyword switch { "anyOf" => passing > 0, "oneOf" => passing == 1, _ => passing == total };
                if (!ok)
                {
                    errors.Add($"{path}: {keyword} matched {passing} of {total}");
                }
            }
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(schema, value, path, errors);
                break;
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, path, errors);
                break;
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var names = value.EnumerateObject().Select(p => p.Name).ToList();
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !names.Contains(r)))
            {
                errors.Add($"{path}: missing required '{name}'");
            }
        }

        Limit(schema, "minProperties", names.Count, (n, l) => n >= l, path, "properties", errors);
        Limit(schema, "maxProperties", names.Count, (n, l) => n <= l, path, "properties", errors);
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var patterns = schema.TryGetProperty("patternProperties", out var pp) ? pp.EnumerateObject().ToList() : [];
        foreach (var property in value.EnumerateObject())
        {
            var matched = false;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var sub))
            {
                matched = true;
                Check(sub, property.Value, $"{path}.{property.Name}", errors);
            }

            foreach (var pattern in patterns.Where(pt => Regex.IsMatch(property.Name, pt.Name, RegexOptions.None, TimeSpan.FromSeconds(1))))
            {
                matched = true;
                Check(pattern.Value, property.Value, $"{path}.{property.Name}", errors);
            }

            if (!matched && schema.TryGetProperty("additionalProperties", out var additional))
            {
                Check(additional, property.Value, $"{path}.{property.Name}", errors);
            }
        }
    }

    private void CheckArray(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var count = value.GetArrayLength();
        Limit(schema, "minItems", count, (n, l) => n >= l, path, "items", errors);
        Limit(schema, "maxItems", count, (n, l) => n <= l, path, "items", errors);
        if (schema.TryGetProperty("items", out var items) && items.ValueKind != JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{i++}]", errors);
            }
        }

        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.GetBoolean())
        {
            var all = value.EnumerateArray().ToList();
            if (all.Where((a, i) => all.Skip(i + 1).Any(b => JsonElement.DeepEquals(a, b))).Any())
            {
                errors.Add($"{path}: items are not unique");
            }
        }
    }

    private static void CheckString(JsonElement schema, string text, string path, List<string> errors)
    {
        var length = new StringInfo(text).LengthInTextElements;
        Limit(schema, "minLength", length, (n, l) => n >= l, path, "characters", errors);
        Limit(schema, "maxLength", length, (n, l) => n <= l, path, "characters", errors);
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{path}: '{text}' does not match {pattern.GetString()}");
        }
    }

    private static void Limit(JsonElement schema, string keyword, int actual, Func<int, int, bool> ok, string path, string unit, List<string> errors)
    {
        if (schema.TryGetProperty(keyword, out var limit) && !ok(actual, limit.GetInt32()))
        {
            errors.Add($"{path}: {actual} {unit} violates {keyword} {limit.GetInt32()}");
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => TypeMatches(t, value))
        : type.GetString() switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => true,
        };

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported: {reference}");
        }

        var node = root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }
}
