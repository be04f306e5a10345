namespace CompressionTasks.Manifest.Spec;

/// <summary>
/// The shape of one manifest value. The key tables in <see cref="ManifestSpec"/> are built from these, and the same
/// tables drive the validator (<see cref="SpecChecker"/>), the JSON Schema (<see cref="ManifestSchema"/>) and the key
/// reference in docs/manifest.md (<see cref="ManifestReference"/>), so the three can never disagree.
/// </summary>
public abstract record ValueSpec
{
    /// <summary>The type as the docs show it: <c>number</c>, <c>list of string</c>, <c>cpu | cuda</c>.</summary>
    public abstract string TypeName { get; }
}

public enum ScalarKind
{
    String,
    Integer,
    Number,
    Boolean,

    /// <summary>A path relative to the manifest's folder.</summary>
    Path,

    /// <summary>The name of something defined elsewhere in the manifest (a dataset, a variant, a target).</summary>
    Reference,
}

public sealed record ScalarSpec(ScalarKind Kind) : ValueSpec
{
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public override string TypeName => AllowedValues.Count > 0
        ? string.Join(" \\| ", AllowedValues)
        : Kind switch
        {
            ScalarKind.Integer => "integer",
            ScalarKind.Number => "number",
            ScalarKind.Boolean => "boolean",
            ScalarKind.Path => "path",
            ScalarKind.Reference => "name",
            _ => "string",
        };
}

public sealed record ListSpec(ValueSpec Items) : ValueSpec
{
    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public override string TypeName => MinItems is { } min && min == MaxItems
        ? $"list of {min} {Items.TypeName}"
        : $"list of {Items.TypeName}";
}

/// <summary>A mapping with fixed keys.</summary>
public sealed record ObjectSpec(string Name, string Description, IReadOnlyList<KeySpec> Keys) : ValueSpec
{
    public override string TypeName => Name;

    public KeySpec Key(string name) =>
        Keys.FirstOrDefault(k => k.Name == name) ?? throw new ArgumentException($"'{Name}' has no key '{name}'.", nameof(name));
}

/// <summary>A mapping whose keys are names the user chooses (datasets, targets), each holding a <see cref="Values"/>.</summary>
public sealed record MapSpec(string KeyDescription, ValueSpec Values) : ValueSpec
{
    public override string TypeName => $"map of {KeyDescription} → {Values.TypeName}";
}

/// <summary>One of several shapes, told apart by the node's kind (scalar, list or mapping).</summary>
public sealed record OneOfSpec(IReadOnlyList<ValueSpec> Alternatives, string Shape) : ValueSpec
{
    /// <summary>How the alternatives read in a message: <c>[height, width] or { shorterSide: N }</c>.</summary>
    public override string TypeName => Shape;
}

/// <summary>A list of pass entries, checked against the <see cref="Passes.PassCatalog"/> the caller gives.</summary>
public sealed record PassListSpec : ValueSpec
{
    public override string TypeName => "list of pass";
}

/// <summary>One key of an <see cref="ObjectSpec"/>: name, value shape, default, and the words the docs show.</summary>
public sealed record KeySpec(string Name, ValueSpec Value, string Description)
{
    public bool Required { get; init; }

    /// <summary>The value used when the key is absent; null when there is none.</summary>
    public object? Default { get; init; }

    /// <summary>How the default reads in the docs when it is not a plain value ("the file name", "the top-level target").</summary>
    public string? DefaultText { get; init; }

    public string? Example { get; init; }
}
