namespace CompressionTasks.Passes;

/// <summary>The type of a pass option's value as written in the manifest.</summary>
public enum PassOptionKind
{
    Boolean,
    Integer,
    Number,
    String,

    /// <summary>One of <see cref="PassOptionSpec.AllowedValues"/>.</summary>
    Choice,
    StringList,
    NumberList,
}

/// <summary>
/// One option a pass accepts: its manifest key, type, range and default, read from the pass's options record by
/// <see cref="Binding.PassOptionSchema"/>. The manifest validator checks options against these, and the JSON Schema
/// and docs/passes.md are generated from them.
/// </summary>
public sealed record PassOptionSpec(string Name, PassOptionKind Kind, string Description)
{
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>The value used when the manifest leaves the option out; null means "no default" or "required".</summary>
    public object? Default { get; init; }

    public bool Required { get; init; }

    /// <summary>For <c>name=value</c> entries (a <see cref="PassOptionKind.StringList"/>): the range of each value; null otherwise.</summary>
    public (double? Minimum, double? Maximum)? EntryRange { get; init; }
}
