using System.Text.Json.Nodes;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest.Yaml;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>
/// The subset of JSON Schema 2020-12 that ManifestSchema emits (type, enum, const, properties, required,
/// additionalProperties, items, min/maxItems, min/max[Properties], minimum/maximum and exclusive forms, minLength,
/// oneOf, anyOf, local $ref), enough to check that the generated schema accepts and rejects what the loader does.
/// </summary>
internal sealed class MiniJsonSchema(JsonNode schema)
{
    public static MiniJsonSchema Parse(string json) => new(JsonNode.Parse(json)!);

    /// <summary>The problems found, each with its JSON pointer; empty when the instance is valid.</summary>
    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(schema, instance, "", errors);
        return errors;
    }

    private void Check(JsonNode s, JsonNode? value, string at, List<string> errors)
    {
        if (s["$ref"] is { } reference)
        {
            var target = reference.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(schema, (node, part) => node[part]!);
            Check(target, value, at, errors);
        }

        if (s["type"] is { } type && !HasType(value, type.GetValue<string>()))
        {
            errors.Add($"{at}: expected {type}, got {Kind(value)}");
            return;
        }

        if (s["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
        {
            errors.Add($"{at}: expected {constant.ToJsonString()}");
        }

        if (s["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{at}: {value?.ToJsonString()} not in enum");
        }

        if (s["anyOf"] is JsonArray any && !any.Any(a => Sub(a!, value, at).Count == 0))
        {
            errors.Add($"{at}: matches none of the anyOf alternatives");
        }

        if (s["oneOf"] is JsonArray alternatives)
        {
            var matching = alternatives.Count(a => Sub(a!, value, at).Count == 0);
            if (matching != 1)
            {
                errors.Add($"{at}: matches {matching} of the oneOf alternatives");
            }
        }

        if (value is JsonValue && value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            if (s["minimum"] is { } min && number < min.GetValue<double>() ||
                s["maximum"] is { } max && number > max.GetValue<double>() ||
                s["exclusiveMinimum"] is { } xmin && number <= xmin.GetValue<double>() ||
                s["exclusiveMaximum"] is { } xmax && number >= xmax.GetValue<double>())
            {
                errors.Add($"{at}: {number} out of range");
            }
        }

        if (value is JsonValue && value.GetValueKind() == System.Text.Json.JsonValueKind.String &&
            s["minLength"] is { } minLength && value.GetValue<string>().Length < minLength.GetValue<int>())
        {
            errors.Add($"{at}: string too short");
        }

        if (value is JsonArray array)
        {
            if (s["minItems"] is { } minItems && array.Count < minItems.GetValue<int>() || s["maxItems"] is { } maxItems && array.Count > maxItems.GetValue<int>())
            {
                errors.Add($"{at}: {array.Count} items");
            }

            if (s["items"] is { } items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Check(items, array[i], $"{at}/{i}", errors);
                }
            }
        }

        if (value is JsonObject obj)
        {
            if (s["minProperties"] is { } minProps && obj.Count < minProps.GetValue<int>() || s["maxProperties"] is { } maxProps && obj.Count > maxProps.GetValue<int>())
            {
                errors.Add($"{at}: {obj.Count} properties");
            }

            foreach (var required in s["required"]?.AsArray() ?? [])
            {
                if (!obj.ContainsKey(required!.GetValue<string>()))
                {
                    errors.Add($"{at}: missing {required}");
                }
            }

            var properties = s["properties"]?.AsObject();
            foreach (var (key, child) in obj)
            {
                if (properties?[key] is { } propertySchema)
                {
                    Check(propertySchema, child, $"{at}/{key}", errors);
                }
                else if (s["additionalProperties"] is { } additional)
                {
                    if (additional is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False)
                    {
                        errors.Add($"{at}: unexpected property {key}");
                    }
                    else if (additional is JsonObject)
                    {
                        Check(additional, child, $"{at}/{key}", errors);
                    }
                }
            }
        }
    }

    private List<string> Sub(JsonNode s, JsonNode? value, string at)
    {
        var errors = new List<string>();
        Check(s, value, at, errors);
        return errors;
    }

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "null" => value is null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String,
        "boolean" => value is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
        "number" => value is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number,
        "integer" => value is JsonValue i && i.GetValueKind() == System.Text.Json.JsonValueKind.Number && Math.Abs(i.GetValue<double>() % 1) == 0,
        _ => throw new NotSupportedException(type),
    };

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind().ToString(),
    };

    /// <summary>A manifest's YAML as the JSON a YAML language server would check: plain scalars typed by the core schema.</summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var diagnostics = new List<Diagnostic>();
        var tree = YamlTreeReader.Read("test.yaml", System.Text.Encoding.UTF8.GetBytes(yaml), diagnostics);
        // Re-parsed so numbers are JSON elements (readable as double whatever the CLR type they were built from).
        return tree is null ? throw new InvalidOperationException(string.Join("\n", diagnostics)) : JsonNode.Parse(ToJson(tree)?.ToJsonString() ?? "null");
    }

    private static JsonNode? ToJson(YamlTreeNode node) => node switch
    {
        YamlTreeMapping m => new JsonObject(m.Entries.Select(e => KeyValuePair.Create(e.Key.Value, ToJson(e.Value)))),
        YamlTreeSequence s => new JsonArray([.. s.Items.Select(ToJson)]),
        YamlTreeScalar { IsNull: true } => null,
        YamlTreeScalar scalar when scalar.AsBoolean() is { } b => b,
        YamlTreeScalar scalar when scalar.AsInteger() is { } i => i,
        YamlTreeScalar scalar when scalar.AsNumber() is { } d => d,
        YamlTreeScalar scalar => scalar.Value,
        _ => throw new NotSupportedException(),
    };
}
