using System.Text.Json;
using System.Text.Json.Nodes;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Passes;

namespace CompressionTasks.Manifest;

/// <summary>
/// The JSON Schema (draft 2020-12) of compression.yaml, generated from the same key tables the validator uses and
/// from the pass catalogue given, for editor completion and checking (yaml-language-server). The committed copy is
/// docs/compression.schema.json; regenerate it with <c>dotnet compress init --print-schema</c>.
/// </summary>
public static class ManifestSchema
{
    public const string FileName = "compression.schema.json";

    public static string Generate(PassCatalog passes)
    {
        ArgumentNullException.ThrowIfNull(passes);
        var defs = new JsonObject();
        var root = Emit(ManifestSpec.Root, passes, defs, isRoot: true);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "compression.yaml",
        };
        foreach (var (key, value) in root.AsObject().ToArray())
        {
            root.AsObject().Remove(key);
            schema[key] = value;
        }

        schema["$defs"] = defs;
        var json = schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return json.ReplaceLineEndings("\n") + "\n";
    }

    private static JsonNode Emit(ValueSpec spec, PassCatalog passes, JsonObject defs, bool isRoot = false)
    {
        switch (spec)
        {
            case ScalarSpec scalar:
                return Scalar(scalar);
            case ListSpec list:
            {
                var node = new JsonObject { ["type"] = "array", ["items"] = Emit(list.Items, passes, defs) };
                if (list.MinItems is { } min)
                {
                    node["minItems"] = min;
                }

                if (list.MaxItems is { } max)
                {
                    node["maxItems"] = max;
                }

                return node;
            }

            case MapSpec map:
                return new JsonObject { ["type"] = "object", ["additionalProperties"] = Emit(map.Values, passes, defs) };
            case OneOfSpec oneOf:
                return new JsonObject { ["oneOf"] = new JsonArray([.. oneOf.Alternatives.Select(a => Emit(a, passes, defs))]) };
            case PassListSpec:
                return new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = PassRef(passes, defs) } };
            case ObjectSpec obj:
            {
                var properties = new JsonObject();
                foreach (var key in obj.Keys)
                {
                    var property = Emit(key.Value, passes, defs).AsObject();
                    var described = new JsonObject { ["description"] = key.Description };
                    if (key.Required)
                    {
                        foreach (var (k, v) in property.ToArray())
                        {
                            property.Remove(k);
                            described[k] = v;
                        }
                    }
                    else
                    {
                        // An optional key left empty ('measure:' with its lines commented out) means "use the defaults".
                        described["anyOf"] = new JsonArray(property, new JsonObject { ["type"] = "null" });
                    }

                    if (key.Default is { } value)
                    {
                        described["default"] = JsonValueOf(value);
                    }

                    properties[key.Name] = described;
                }

                var node = new JsonObject
                {
                    ["description"] = obj.Description,
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["properties"] = properties,
                };
                var required = obj.Keys.Where(k => k.Required).Select(k => (JsonNode)k.Name).ToArray();
                if (required.Length > 0)
                {
                    node["required"] = new JsonArray(required);
                }

                if (ReferenceEquals(obj, ManifestSpec.Root))
                {
                    properties["version"]!["const"] = ManifestSpec.CurrentVersion;
                }

                if (isRoot)
                {
                    return node;
                }

                defs[obj.Name] = node;
                return new JsonObject { ["$ref"] = $"#/$defs/{obj.Name}" };
            }

            default:
                throw new InvalidOperationException($"No schema for {spec.GetType().Name}.");
        }
    }

    private static JsonObject Scalar(ScalarSpec scalar)
    {
        var node = new JsonObject
        {
            ["type"] = scalar.Kind switch
            {
                ScalarKind.Integer => "integer",
                ScalarKind.Number => "number",
                ScalarKind.Boolean => "boolean",
                _ => "string",
            },
        };
        if (scalar.AllowedValues.Count > 0)
        {
            node["enum"] = new JsonArray([.. scalar.AllowedValues.Select(v => (JsonNode)v)]);
        }
        else if (scalar.Kind is ScalarKind.String or ScalarKind.Path or ScalarKind.Reference)
        {
            node["minLength"] = 1;
        }

        if (scalar.Minimum is { } min)
        {
            node[scalar.ExclusiveMinimum ? "exclusiveMinimum" : "minimum"] = min;
        }

        if (scalar.Maximum is { } max)
        {
            node[scalar.ExclusiveMaximum ? "exclusiveMaximum" : "maximum"] = max;
        }

        return node;
    }

    private static string PassRef(PassCatalog passes, JsonObject defs)
    {
        if (!defs.ContainsKey("pass"))
        {
            var forms = new JsonArray();
            var names = passes.Names.ToArray();

            // A bare name runs a pass with its defaults, so only passes without required options have that form.
            var bare = passes.Passes.Where(p => !p.Options.Any(o => o.Required)).Select(p => (JsonNode)p.Name).ToArray();
            forms.Add(names.Length > 0
                ? new JsonObject { ["description"] = "A pass with its default options.", ["enum"] = new JsonArray(bare) }
                : new JsonObject { ["type"] = "string", ["minLength"] = 1 });
            foreach (var pass in passes.Passes)
            {
                forms.Add(new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["required"] = new JsonArray(pass.Name),
                    ["properties"] = new JsonObject { [pass.Name] = PassOptions(pass) },
                });
            }

            if (names.Length == 0)
            {
                forms.Add(new JsonObject { ["type"] = "object", ["minProperties"] = 1, ["maxProperties"] = 1 });
            }

            defs["pass"] = new JsonObject
            {
                ["description"] = "One pass: '{ name: { options } }', '{ name: value }' for a pass with a scalar form, or a bare name.",
                ["oneOf"] = forms,
            };
        }

        return "#/$defs/pass";
    }

    private static JsonObject PassOptions(PassDescriptor pass)
    {
        var properties = new JsonObject();
        foreach (var option in pass.Options)
        {
            var node = PassOption(option);
            node["description"] = option.Description;
            if (option.Default is { } value)
            {
                node["default"] = JsonValueOf(value);
            }

            properties[option.Name] = node;
        }

        var mapping = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        var required = pass.Options.Where(o => o.Required).Select(o => (JsonNode)o.Name).ToArray();
        if (required.Length > 0)
        {
            mapping["required"] = new JsonArray(required);
        }

        var forms = new JsonArray(mapping);
        if (pass.ScalarOption is { } scalarOption && pass.FindOption(scalarOption) is { } scalar)
        {
            forms.Add(PassOption(scalar));
        }

        if (required.Length == 0)
        {
            forms.Add(new JsonObject { ["type"] = "null" });
        }

        return new JsonObject { ["description"] = pass.Description, ["oneOf"] = forms };
    }

    private static JsonObject PassOption(PassOptionSpec option)
    {
        JsonObject Typed(string type)
        {
            var node = new JsonObject { ["type"] = type };
            if (option.Minimum is { } min)
            {
                node["minimum"] = min;
            }

            if (option.Maximum is { } max)
            {
                node["maximum"] = max;
            }

            return node;
        }

        return option.Kind switch
        {
            PassOptionKind.Boolean => new JsonObject { ["type"] = "boolean" },
            PassOptionKind.Integer => Typed("integer"),
            PassOptionKind.Number => Typed("number"),
            PassOptionKind.Choice => new JsonObject { ["enum"] = new JsonArray([.. option.AllowedValues.Select(v => (JsonNode)v)]) },
            PassOptionKind.StringList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            PassOptionKind.NumberList => new JsonObject { ["type"] = "array", ["items"] = Typed("number") },
            _ => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
        };
    }

    private static JsonNode? JsonValueOf(object value) => value switch
    {
        bool b => b,
        long l => l,
        int i => i,
        double d => d,
        string s => s,
        double[] a => new JsonArray([.. a.Select(x => (JsonNode)x)]),
        IEnumerable<string> a => new JsonArray([.. a.Select(x => (JsonNode)x)]),
        IEnumerable<object?> a => new JsonArray([.. a.Select(x => x is null ? null : JsonValueOf(x))]),
        _ => JsonValue.Create(value.ToString()),
    };
}
