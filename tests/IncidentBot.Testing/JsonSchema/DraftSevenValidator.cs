using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IncidentBot.Testing.JsonSchema;

/// <summary>
/// A JSON Schema validator (draft-07, and the draft-04 dialect Microsoft's Teams schema uses) for the
/// keywords the platforms' manifest schemas use: type, enum, const, properties, required,
/// additionalProperties, patternProperties, dependencies, min/maxProperties, items (single or tuple),
/// additionalItems, min/maxItems, uniqueItems, min/maxLength, pattern, format (uri, email, regex),
/// minimum, maximum, exclusiveMinimum/Maximum (draft-04 booleans or draft-06+ numbers), anyOf, oneOf,
/// allOf, not, if/then/else, $ref (local, optionally prefixed by the root's id / $id).
/// No validator package is available here, so tests carry this one.
/// </summary>
public sealed class DraftSevenValidator(JsonElement root)
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    public static DraftSevenValidator Load(string schemaPath) => new(JsonDocument.Parse(File.ReadAllText(schemaPath)).RootElement);

    /// <summary>Every violation as "path: problem"; empty when the instance is valid.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private bool Passes(JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors.Count == 0;
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

        CheckCombinations(schema, value, path, errors);
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
            case JsonValueKind.Number:
                CheckNumber(schema, value.GetDouble(), path, errors);
                break;
        }
    }

    private void CheckCombinations(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        foreach (var keyword in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema.TryGetProperty(keyword, out var subs))
            {
                var passing = subs.EnumerateArray().Count(s => Passes(s, value, path));
                var total = subs.GetArrayLength();
                var ok = keyword switch { "anyOf" => passing > 0, "oneOf" => passing == 1, _ => passing == total };
                if (!ok)
                {
                    errors.Add($"{path}: {keyword} matched {passing} of {total}");
                }
            }
        }

        if (schema.TryGetProperty("not", out var not) && Passes(not, value, path))
        {
            errors.Add($"{path}: matches a schema under 'not'");
        }

        // draft-07 if/then/else: 'if' only picks the branch, its own failures are not errors.
        if (schema.TryGetProperty("if", out var condition))
        {
            var branch = Passes(condition, value, path) ? "then" : "else";
            if (schema.TryGetProperty(branch, out var chosen))
            {
                Check(chosen, value, path, errors);
            }
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        var names = value.EnumerateObject().Select(p => p.Name).ToList();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !names.Contains(r)))
            {
                errors.Add($"{path}: missing required '{name}'");
            }
        }

        if (schema.TryGetProperty("dependencies", out var dependencies))
        {
            foreach (var dependency in dependencies.EnumerateObject().Where(d => names.Contains(d.Name)))
            {
                if (dependency.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var name in dependency.Value.EnumerateArray().Select(r => r.GetString()!).Where(r => !names.Contains(r)))
                    {
                        errors.Add($"{path}: '{dependency.Name}' requires '{name}'");
                    }
                }
                else
                {
                    Check(dependency.Value, value, path, errors);
                }
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

            foreach (var pattern in patterns.Where(pt => Regex.IsMatch(property.Name, pt.Name, RegexOptions.None, RegexBudget)))
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
        if (schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            var tuple = items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().ToList() : null;
            var rest = schema.TryGetProperty("additionalItems", out var additional) ? additional : default;
            foreach (var item in value.EnumerateArray())
            {
                var itemSchema = tuple is null ? items : i < tuple.Count ? tuple[i] : rest;
                if (itemSchema.ValueKind != JsonValueKind.Undefined)
                {
                    Check(itemSchema, item, $"{path}[{i}]", errors);
                }

                i++;
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
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, RegexBudget))
        {
            errors.Add($"{path}: '{text}' does not match {pattern.GetString()}");
        }

        if (schema.TryGetProperty("format", out var format) && !FormatMatches(format.GetString()!, text))
        {
            errors.Add($"{path}: '{text}' is not a valid {format.GetString()}");
        }
    }

    /// <summary>Formats the manifests use are checked; any other format is an annotation, as the drafts allow.</summary>
    private static bool FormatMatches(string format, string text) => format switch
    {
        "uri" => Uri.TryCreate(text, UriKind.Absolute, out _),
        "email" => MailAddress.TryCreate(text, out var address) && address.Address == text,
        "regex" => IsRegex(text),
        _ => true,
    };

    private static bool IsRegex(string text)
    {
        try
        {
            _ = new Regex(text, RegexOptions.None, RegexBudget);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void CheckNumber(JsonElement schema, double number, string path, List<string> errors)
    {
        // draft-04: exclusiveMinimum/Maximum are booleans that sharpen minimum/maximum; draft-06+: numbers of their own.
        Bound(schema, "minimum", "exclusiveMinimum", number, below: false, path, errors);
        Bound(schema, "maximum", "exclusiveMaximum", number, below: true, path, errors);
    }

    private static void Bound(JsonElement schema, string inclusive, string exclusive, double number, bool below, string path, List<string> errors)
    {
        var hasExclusive = schema.TryGetProperty(exclusive, out var exclusiveValue);
        if (schema.TryGetProperty(inclusive, out var limit))
        {
            var strict = hasExclusive && exclusiveValue.ValueKind == JsonValueKind.True;
            var bound = limit.GetDouble();
            var ok = below ? (strict ? number < bound : number <= bound) : (strict ? number > bound : number >= bound);
            if (!ok)
            {
                errors.Add($"{path}: {number.ToString(CultureInfo.InvariantCulture)} violates {(strict ? exclusive : inclusive)} {limit}");
            }
        }

        if (hasExclusive && exclusiveValue.ValueKind == JsonValueKind.Number)
        {
            var bound = exclusiveValue.GetDouble();
            if (below ? number >= bound : number <= bound)
            {
                errors.Add($"{path}: {number.ToString(CultureInfo.InvariantCulture)} violates {exclusive} {exclusiveValue}");
            }
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
        // A reference may spell out the root's own id (draft-04 "id", draft-06+ "$id") before the fragment.
        foreach (var idKeyword in new[] { "$id", "id" })
        {
            if (root.TryGetProperty(idKeyword, out var id) && id.ValueKind == JsonValueKind.String)
            {
                var baseUri = id.GetString()!.TrimEnd('#');
                if (baseUri.Length > 0 && reference.StartsWith(baseUri, StringComparison.Ordinal))
                {
                    reference = reference[baseUri.Length..];
                }
            }
        }

        if (reference is "" or "#")
        {
            return root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported: {reference}");
        }

        var node = root;
        foreach (var part in reference[2..].Split('/'))
        {
            var name = Uri.UnescapeDataString(part).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node.ValueKind == JsonValueKind.Array ? node[int.Parse(name, CultureInfo.InvariantCulture)] : node.GetProperty(name);
        }

        return node;
    }
}
