namespace CompressionTasks.Passes;

/// <summary>
/// What the manifest may say about a pass: <c>- quantize: { mode: static }</c> names the pass <c>quantize</c> with
/// options; the scalar form <c>- convert: fp16</c> sets the option named by <see cref="ScalarOption"/>.
/// </summary>
public sealed record PassDescriptor(string Name, string Description, IReadOnlyList<PassOptionSpec> Options)
{
    /// <summary>The option a scalar value sets (<c>convert: fp16</c> sets <c>to</c>); null when only the mapping form is allowed.</summary>
    public string? ScalarOption { get; init; }

    public PassOptionSpec? FindOption(string name) =>
        Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal));
}
