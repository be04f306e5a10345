using System.Globalization;
using System.Reflection;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.Binding;

/// <summary>
/// The options of one pass, read once from its options record (<see cref="PassOptionAttribute"/> properties): the
/// <see cref="PassOptionSpec"/>s the validator, JSON Schema and docs use, and the binding of manifest values (bool,
/// long, double, string, lists, as the validator hands them over) into a new record.
/// </summary>
public sealed class PassOptionSchema
{
    private readonly Type _optionsType;
    private readonly IReadOnlyList<(PassOptionSpec Spec, PropertyInfo Property)> _options;

    private PassOptionSchema(Type optionsType, IReadOnlyList<(PassOptionSpec, PropertyInfo)> options)
    {
        _optionsType = optionsType;
        _options = options;
    }

    public IReadOnlyList<PassOptionSpec> Options => _options.Select(o => o.Spec).ToArray();

    public static PassOptionSchema For<TOptions>()
        where TOptions : class, IPassOptions, new()
    {
        var defaults = new TOptions();
        var options = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(p => p.MetadataToken)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<PassOptionAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => (Spec(p.Property, p.Attribute!, p.Property.GetValue(defaults)), p.Property))
            .ToArray();
        return new PassOptionSchema(typeof(TOptions), options);
    }

    /// <summary>
    /// A new options record from manifest values (keys the manifest left out keep the record's defaults). Values that
    /// do not parse (a <c>name=value</c> entry without a number) are reported as problems and left at their default.
    /// </summary>
    public IPassOptions Bind(IReadOnlyDictionary<string, object?> values, List<PassBindingProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(problems);
        var options = (IPassOptions)Activator.CreateInstance(_optionsType)!;
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (spec, property) in _options)
        {
            if (values.TryGetValue(spec.Name, out var value) && value is not null && Convert(value, spec, property.PropertyType, problems) is { } converted)
            {
                property.SetValue(options, converted);
                given.Add(spec.Name);
            }
        }

        if (options is IGivenPassOptions)
        {
            typeof(IGivenPassOptions).GetProperty(nameof(IGivenPassOptions.Given))!.SetValue(options, given);
        }

        return options;
    }

    /// <summary>Every option's value as the manifest spells it; optional options without a value are left out.</summary>
    public IReadOnlyDictionary<string, string> Describe(IPassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var described = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (spec, property) in _options)
        {
            if (property.GetValue(options) is { } value)
            {
                described[spec.Name] = Format(value);
            }
        }

        return described;
    }

    private static PassOptionSpec Spec(PropertyInfo property, PassOptionAttribute attribute, object? initial)
    {
        var name = attribute.Name ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var (kind, allowed) = type switch
        {
            _ when type == typeof(bool) => (PassOptionKind.Boolean, Array.Empty<string>()),
            _ when type == typeof(int) || type == typeof(long) => (PassOptionKind.Integer, []),
            _ when type == typeof(double) => (PassOptionKind.Number, []),
            _ when type == typeof(string) => (PassOptionKind.String, []),
            _ when type.IsEnum => (PassOptionKind.Choice, ManifestNames.Spellings(type).ToArray()),
            _ when type == typeof(IReadOnlyList<string>) || type == typeof(IReadOnlyDictionary<string, double>) => (PassOptionKind.StringList, []),
            _ when type == typeof(IReadOnlyList<double>) => (PassOptionKind.NumberList, []),
            _ => throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: options of type {type.Name} cannot be bound from a manifest"),
        };
        var entries = type == typeof(IReadOnlyDictionary<string, double>);
        return new PassOptionSpec(name, kind, attribute.Description)
        {
            AllowedValues = allowed,
            // Ranges of name=value entries apply to the values, which the validator cannot see inside the strings.
            Minimum = entries || double.IsNaN(attribute.Minimum) ? null : attribute.Minimum,
            Maximum = entries || double.IsNaN(attribute.Maximum) ? null : attribute.Maximum,
            Required = attribute.Required,
            Default = attribute.Required ? null : ManifestValue(initial),
            EntryRange = entries ? (NaNToNull(attribute.Minimum), NaNToNull(attribute.Maximum)) : null,
        };
    }

    private static double? NaNToNull(double value) => double.IsNaN(value) ? null : value;

    /// <summary>A record's default as the validator's values look: long, double, bool, string, object lists.</summary>
    private static object? ManifestValue(object? value) => value switch
    {
        null => null,
        int i => (long)i,
        Enum e => ManifestNames.NameOf(e),
        IReadOnlyDictionary<string, double> entries => entries.Select(e => (object?)FormatEntry(e.Key, e.Value)).ToArray(),
        IEnumerable<string> strings => strings.Cast<object?>().ToArray(),
        IEnumerable<double> numbers => numbers.Cast<object?>().ToArray(),
        _ => value,
    };

    private object? Convert(object value, PassOptionSpec spec, Type propertyType, List<PassBindingProblem> problems)
    {
        var type = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        try
        {
            return type switch
            {
                _ when type == typeof(bool) => value is string s ? bool.Parse(s) : (bool)value,
                _ when type == typeof(int) => checked((int)System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                _ when type == typeof(long) => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                _ when type == typeof(double) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
                _ when type == typeof(string) => (string)value,
                _ when type.IsEnum => ManifestNames.Parse(type, (string)value) ?? throw Unbindable(spec, value),
                _ when type == typeof(IReadOnlyList<string>) => Strings(value),
                _ when type == typeof(IReadOnlyList<double>) => Strings(value).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
                _ => Entries(Strings(value), spec, problems),
            };
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw Unbindable(spec, value);
        }
    }

    private static string[] Strings(object value) => value switch
    {
        string s => [s],
        IEnumerable<object?> list => list.Select(v => System.Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).ToArray(),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(v => System.Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).ToArray(),
        _ => throw new InvalidCastException(),
    };

    /// <summary><c>name=value</c> entries (the last <c>=</c> splits, so node names may hold one), each value within the option's range.</summary>
    private static Dictionary<string, double> Entries(string[] items, PassOptionSpec spec, List<PassBindingProblem> problems)
    {
        var (minimum, maximum) = spec.EntryRange ?? (null, null);
        var entries = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++)
        {
            var split = items[i].LastIndexOf('=');
            if (split > 0 && double.TryParse(items[i].AsSpan(split + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && !(value < minimum) && !(value > maximum) && double.IsFinite(value))
            {
                entries[items[i][..split]] = value;
                continue;
            }

            var range = (minimum, maximum) switch
            {
                ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $" with a value in [{lo}, {hi}]"),
                _ => string.Empty,
            };
            problems.Add(new PassBindingProblem(DiagnosticCodes.InvalidPassOption, $"'{spec.Name}' entry '{items[i]}' is not 'nodeName=value'{range}")
            {
                Option = spec.Name,
                Item = i,
            });
        }

        return entries;
    }

    private static InvalidOperationException Unbindable(PassOptionSpec spec, object value) =>
        new($"option '{spec.Name}' got {value.GetType().Name} '{value}', which its declaration does not allow; the manifest validator should have refused it");

    private static string FormatEntry(string name, double value) => string.Create(CultureInfo.InvariantCulture, $"{name}={value}");

    /// <summary>A value as the manifest spells it (enumerations by their manifest name, lists in brackets).</summary>
    internal static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        Enum e => ManifestNames.NameOf(e),
        IReadOnlyDictionary<string, double> entries => "[" + string.Join(", ", entries.Select(e => FormatEntry(e.Key, e.Value))) + "]",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(v => v is null ? "null" : Format(v))) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
