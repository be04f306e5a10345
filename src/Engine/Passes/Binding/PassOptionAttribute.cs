namespace CompressionTasks.Passes.Binding;

/// <summary>
/// Marks a property of a pass's options record as a manifest option. The record is the option's one declaration:
/// the key (the property name in camelCase unless <see cref="Name"/> says otherwise), the type (the property's),
/// the default (the property's initial value), and the range and description given here. The validator, the JSON
/// Schema, docs/passes.md and the binder all read it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PassOptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>The manifest key when it is not the property name in camelCase.</summary>
    public string? Name { get; init; }

    /// <summary>Smallest allowed value (for lists of numbers and <c>name=value</c> entries: of each value); NaN for none.</summary>
    public double Minimum { get; init; } = double.NaN;

    /// <summary>Largest allowed value; NaN for none.</summary>
    public double Maximum { get; init; } = double.NaN;

    /// <summary>The manifest must give the option; the property's initial value is then no default.</summary>
    public bool Required { get; init; }
}
