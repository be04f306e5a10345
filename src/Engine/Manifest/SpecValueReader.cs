using System.Globalization;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Manifest.Yaml;
using CompressionTasks.Vocabularies;

namespace CompressionTasks.Manifest;

/// <summary>
/// Reads typed values out of a checked mapping, falling back to the default the key table declares; a value of the
/// wrong shape (already reported by <see cref="SpecChecker"/>) reads as the default so binding can go on and find
/// every other problem too.
/// </summary>
internal sealed class SpecValueReader(YamlTreeMapping? mapping, ObjectSpec spec)
{
    public YamlTreeMapping? Mapping { get; } = mapping;

    public YamlTreeNode? Node(string key)
    {
        _ = spec.Key(key);
        return Mapping?[key] is { } node and not YamlTreeScalar { IsNull: true } ? node : null;
    }

    /// <summary>The key as written, for problems that are about the key's presence rather than its value.</summary>
    public YamlTreeScalar? KeyNode(string key)
    {
        _ = spec.Key(key);
        return Mapping?.KeyNode(key);
    }

    public YamlTreeScalar? Scalar(string key) => Node(key) as YamlTreeScalar;

    public YamlTreeMapping? Object(string key) => Node(key) as YamlTreeMapping;

    public YamlTreeSequence? List(string key) => Node(key) as YamlTreeSequence;

    public bool Has(string key) => Node(key) is not null;

    public string? String(string key) => Scalar(key) is { Value.Length: > 0 } s ? s.Value : spec.Key(key).Default as string;

    public double Number(string key) => NumberOrNull(key) ?? Convert.ToDouble(spec.Key(key).Default, CultureInfo.InvariantCulture);

    public double? NumberOrNull(string key) =>
        Scalar(key)?.AsNumber() is { } n && double.IsFinite(n) ? n : spec.Key(key).Default is { } d ? Convert.ToDouble(d, CultureInfo.InvariantCulture) : null;

    public long? IntegerOrNull(string key) =>
        Scalar(key)?.AsInteger() ?? (spec.Key(key).Default is { } d ? Convert.ToInt64(d, CultureInfo.InvariantCulture) : null);

    public int Int32(string key) => (int)Math.Clamp(IntegerOrNull(key) ?? 0, int.MinValue, int.MaxValue);

    public bool Boolean(string key) => Scalar(key)?.AsBoolean() ?? spec.Key(key).Default is true;

    public T Enum<T>(string key)
        where T : struct, Enum =>
        ParseEnum<T>(String(key)) ?? ParseEnum<T>(spec.Key(key).Default as string) ?? default;

    /// <summary>An enumeration value by its manifest spelling in <paramref name="vocabulary"/>, else the key's default.</summary>
    public T Term<T>(string key, Vocabulary<T> vocabulary)
        where T : struct, Enum =>
        vocabulary.Find(String(key)) ?? vocabulary.Find(spec.Key(key).Default as string) ?? default;

    public IReadOnlyList<string>? Strings(string key) =>
        List(key)?.Items.OfType<YamlTreeScalar>().Where(s => !s.IsNull).Select(s => s.Value).ToArray();

    public IReadOnlyList<double>? Numbers(string key) => List(key) is { } list
        ? list.Items.OfType<YamlTreeScalar>().Select(s => s.AsNumber()).OfType<double>().ToArray()
        : spec.Key(key).Default as double[];

    public static T? ParseEnum<T>(string? text)
        where T : struct, Enum =>
        text is not null && System.Enum.TryParse<T>(text.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value)
            ? value
            : null;
}
