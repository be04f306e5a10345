using CompressionTasks.Diagnostics;

namespace CompressionTasks.Passes.Binding;

/// <summary>
/// One pass of a variant as the manifest bound it: the pass, ready to run, with its typed options (defaults filled
/// in) and the manifest location of its entry.
/// </summary>
public sealed record BoundPass(PassDescriptor Descriptor, IPassOptions Options, ICompressionPass Pass, SourceLocation Location)
{
    public string Name => Descriptor.Name;

    /// <summary>Every option's value as the manifest spells it (defaults included; unset optional ones left out), by key.</summary>
    public IReadOnlyDictionary<string, string> DescribeOptions() => Descriptor.Schema.Describe(Options);
}
