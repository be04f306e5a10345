using System.Globalization;
using System.Text;
using CompressionTasks.Manifest.Spec;

namespace CompressionTasks.Manifest;

/// <summary>
/// The key reference of docs/manifest.md (one table per section: key, type, default, meaning), generated from the
/// key tables the validator uses. The docs hold it between <see cref="BeginMarker"/> and <see cref="EndMarker"/>.
/// </summary>
public static class ManifestReference
{
    public const string BeginMarker = "<!-- BEGIN GENERATED KEY REFERENCE: do not edit by hand -->";
    public const string EndMarker = "<!-- END GENERATED KEY REFERENCE -->";

    private const string TopLevel = "";

    public static string Generate()
    {
        var text = new StringBuilder();
        var seen = new HashSet<ObjectSpec>(ReferenceEqualityComparer.Instance);
        Section(text, ManifestSpec.Root, TopLevel, seen);
        return text.ToString();
    }

    /// <summary>Replaces the generated part of a manifest.md text; null when the markers are missing.</summary>
    public static string? Splice(string document)
    {
        var begin = document.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return null;
        }

        return string.Concat(document.AsSpan(0, begin + BeginMarker.Length), "\n\n", Generate(), document.AsSpan(end));
    }

    private static void Section(StringBuilder text, ObjectSpec spec, string path, HashSet<ObjectSpec> seen)
    {
        if (!seen.Add(spec))
        {
            return;
        }

        var heading = path == TopLevel ? "Top level" : $"`{path}`";
        text.Append(CultureInfo.InvariantCulture, $"### {heading}\n\n{spec.Description}\n\n");
        text.Append("| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
        foreach (var key in spec.Keys)
        {
            var fallback = key.Required ? "**required**" : key.DefaultText ?? (key.Default is { } d ? $"`{Format(d)}`" : "—");
            var example = key.Example is { } e ? $" Example: `{e}`." : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"| `{key.Name}` | {Type(key.Value)} | {fallback} | {key.Description}{example} |\n");
        }

        text.Append('\n');
        var prefix = path == TopLevel ? string.Empty : path + ".";
        foreach (var key in spec.Keys)
        {
            foreach (var (child, childPath) in Children(key.Value, prefix + key.Name))
            {
                Section(text, child, childPath, seen);
            }
        }
    }

    private static IEnumerable<(ObjectSpec Spec, string Path)> Children(ValueSpec spec, string path) => spec switch
    {
        ObjectSpec obj => [(obj, path)],
        ListSpec list => Children(list.Items, path + "[]"),
        MapSpec map => Children(map.Values, $"{path}.<{map.KeyDescription.Replace(' ', '-')}>"),
        OneOfSpec oneOf => oneOf.Alternatives.SelectMany(a => Children(a, path)),
        _ => [],
    };

    private static string Type(ValueSpec spec) => spec switch
    {
        ObjectSpec => "mapping",
        ListSpec { MinItems: { } n, MaxItems: { } m } list when n == m => $"list of {n} × {Type(list.Items)}",
        ListSpec list => $"list of {Type(list.Items)}",
        MapSpec map => $"mapping: {map.KeyDescription} → {Type(map.Values)}",
        OneOfSpec oneOf => $"`{oneOf.Shape}`",
        ScalarSpec scalar => scalar.TypeName + Range(scalar),
        _ => spec.TypeName,
    };

    private static string Range(ScalarSpec scalar)
    {
        if (scalar.Minimum is null && scalar.Maximum is null)
        {
            return string.Empty;
        }

        var lower = scalar.Minimum is { } lo ? $"{Format(lo)} {(scalar.ExclusiveMinimum ? "<" : "≤")} " : string.Empty;
        var upper = scalar.Maximum is { } hi ? $" {(scalar.ExclusiveMaximum ? "<" : "≤")} {Format(hi)}" : string.Empty;
        return scalar.Maximum is null
            ? $", {(scalar.ExclusiveMinimum ? ">" : "≥")} {Format(scalar.Minimum!.Value)}"
            : $", {lower}x{upper}";
    }

    private static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        double[] a => $"[{string.Join(", ", a.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
