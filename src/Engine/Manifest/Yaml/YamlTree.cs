using System.Globalization;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest.Yaml;

/// <summary>
/// A parsed YAML node that remembers where it was written. The manifest is read into these plain nodes (not
/// YamlDotNet's representation model) so duplicate keys, anchors and tags become diagnostics instead of exceptions.
/// </summary>
internal abstract class YamlTreeNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>How the node reads in a message: "a mapping", "a list", "the string 'abc'".</summary>
    public abstract string Describe();
}

internal sealed class YamlTreeMapping(SourceLocation location) : YamlTreeNode(location)
{
    private readonly List<KeyValuePair<YamlTreeScalar, YamlTreeNode>> _entries = [];

    public IReadOnlyList<KeyValuePair<YamlTreeScalar, YamlTreeNode>> Entries => _entries;

    public void Add(YamlTreeScalar key, YamlTreeNode value) => _entries.Add(new(key, value));

    public YamlTreeNode? this[string key] =>
        _entries.FirstOrDefault(e => string.Equals(e.Key.Value, key, StringComparison.Ordinal)).Value;

    public YamlTreeScalar? KeyNode(string key) =>
        _entries.FirstOrDefault(e => string.Equals(e.Key.Value, key, StringComparison.Ordinal)).Key;

    public override string Describe() => "a mapping";
}

internal sealed class YamlTreeSequence(SourceLocation location) : YamlTreeNode(location)
{
    public List<YamlTreeNode> Items { get; } = [];

    public override string Describe() => "a list";
}

/// <summary>A scalar, typed by the YAML 1.2 core schema: only plain (unquoted) scalars are null, booleans or numbers.</summary>
internal sealed class YamlTreeScalar(SourceLocation location, string value, bool isPlain) : YamlTreeNode(location)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public bool? AsBoolean() => !IsPlain ? null : Value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    public long? AsInteger()
    {
        if (!IsPlain)
        {
            return null;
        }

        if (Value.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(Value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        return long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    public double? AsNumber()
    {
        if (!IsPlain)
        {
            return null;
        }

        switch (Value)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (AsInteger() is { } integer)
        {
            return integer;
        }

        // The core schema's float form; rejects C#-only spellings such as "1,5", "Infinity" or hex floats.
        var text = Value.AsSpan();
        if (text.Length == 0 || text.ContainsAnyExcept("0123456789+-.eE") || !text.ContainsAny("0123456789"))
        {
            return null;
        }

        return double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    public override string Describe()
    {
        if (IsNull)
        {
            return "no value";
        }

        if (AsBoolean() is not null)
        {
            return $"the boolean {Value}";
        }

        if (AsNumber() is not null)
        {
            return $"the number {Value}";
        }

        var shown = Value.Length > 40 ? Value[..40] + "…" : Value;
        return $"the string '{shown}'";
    }
}
