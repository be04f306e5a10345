using System.Globalization;
using System.Text;

namespace CompressionTasks.Passes.Binding;

/// <summary>
/// The option tables of docs/passes.md, generated from the passes' options records (the same declarations the
/// validator, the JSON Schema and the binder read). Each pass's table sits between
/// <c>&lt;!-- BEGIN GENERATED OPTIONS: name --&gt;</c> and <c>&lt;!-- END GENERATED OPTIONS: name --&gt;</c>.
/// </summary>
public static class PassReference
{
    public static string BeginMarker(string pass) => $"<!-- BEGIN GENERATED OPTIONS: {pass} -->";

    public static string EndMarker(string pass) => $"<!-- END GENERATED OPTIONS: {pass} -->";

    /// <summary>The option table of one pass: option, type, default, meaning.</summary>
    public static string Table(PassDescriptor pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var text = new StringBuilder("| option | type | default | meaning |\n| --- | --- | --- | --- |\n");
        foreach (var option in pass.Options)
        {
            var name = option.Name == pass.ScalarOption ? $"`{option.Name}` (scalar form)" : $"`{option.Name}`";
            var fallback = option.Required ? "**required**" : option.Default is { } d ? $"`{PassOptionSchema.Format(d)}`" : "—";
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {Type(option)} | {fallback} | {option.Description.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// <paramref name="document"/> with every pass's table replaced by the generated one; the names of passes whose
    /// markers are missing come back in <paramref name="missing"/>.
    /// </summary>
    public static string Splice(string document, PassCatalog catalog, out IReadOnlyList<string> missing)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(catalog);
        var absent = new List<string>();
        foreach (var pass in catalog.Passes)
        {
            var begin = document.IndexOf(BeginMarker(pass.Name), StringComparison.Ordinal);
            var end = document.IndexOf(EndMarker(pass.Name), StringComparison.Ordinal);
            if (begin < 0 || end < begin)
            {
                absent.Add(pass.Name);
                continue;
            }

            var start = begin + BeginMarker(pass.Name).Length;
            document = document[..start] + "\n\n" + Table(pass) + "\n" + document[end..];
        }

        missing = absent;
        return document;
    }

    private static string Type(PassOptionSpec option) => option.Kind switch
    {
        PassOptionKind.Boolean => "boolean",
        PassOptionKind.Integer => Range("integer", option),
        PassOptionKind.Number => Range("number", option),
        PassOptionKind.Choice => string.Join(" \\| ", option.AllowedValues.Select(v => $"`{v}`")),
        PassOptionKind.StringList when option.EntryRange is { } range => Range("list of `name=value`", option with { Minimum = range.Minimum, Maximum = range.Maximum }),
        PassOptionKind.StringList => "list of strings",
        PassOptionKind.NumberList => Range("list of numbers", option),
        _ => "string",
    };

    private static string Range(string type, PassOptionSpec option) => (option.Minimum, option.Maximum) switch
    {
        ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $"{type}, {lo}–{hi}"),
        ({ } lo, null) => string.Create(CultureInfo.InvariantCulture, $"{type} ≥ {lo}"),
        (null, { } hi) => string.Create(CultureInfo.InvariantCulture, $"{type} ≤ {hi}"),
        _ => type,
    };
}
