using CompressionTasks.Diagnostics;

namespace CompressionTasks.Passes;

/// <summary>
/// Maps manifest pass names to implementations. Adding a pass means adding its class and one entry here; the
/// manifest validator, the JSON Schema and docs/manifest.md read the same descriptors.
/// </summary>
public static class PassRegistry
{
    private static readonly IReadOnlyList<(PassDescriptor Descriptor, Func<IReadOnlyDictionary<string, object?>, ICompressionPass> Create)> Entries =
    [
        (FineTuning.FineTunePass.Descriptor, options => new FineTuning.FineTunePass(FineTuning.FineTuneOptions.From(options))),
    ];

    public static PassCatalog Catalog { get; } = new(Entries.Select(e => e.Descriptor));

    public static ICompressionPass Create(string name, IReadOnlyDictionary<string, object?> options, SourceLocation where)
    {
        foreach (var (descriptor, create) in Entries)
        {
            if (descriptor.Name == name)
            {
                return create(options);
            }
        }

        throw new CompressionException(DiagnosticCodes.UnknownPassAtRun, where, $"no pass named '{name}' is available");
    }
}
