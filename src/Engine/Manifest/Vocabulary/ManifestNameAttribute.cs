namespace CompressionTasks.Manifest;

/// <summary>
/// The spelling of an enumeration member in compression.yaml (<c>bn-recalibration</c>, <c>minmax</c>). The member's
/// attribute is the one place the spelling lives: binding, the JSON Schema, the docs and the report read it through
/// <see cref="ManifestNames"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ManifestNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
