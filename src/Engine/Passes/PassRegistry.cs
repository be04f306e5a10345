using CompressionTasks.Diagnostics;
using CompressionTasks.Passes.Conversion;
using CompressionTasks.Passes.FineTuning;
using CompressionTasks.Passes.Folding;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Recovery;

namespace CompressionTasks.Passes;

/// <summary>Maps manifest pass names to their descriptors and implementations. Adding a pass adds one line here.</summary>
public static class PassRegistry
{
    private static readonly (PassDescriptor Descriptor, Func<PassOptions, ICompressionPass> Create)[] Entries =
    [
        (BatchNormFoldPass.Descriptor, o => new BatchNormFoldPass(BatchNormFoldOptions.From(o))),
        (QuantizePass.Descriptor, o => new QuantizePass(QuantizeOptions.From(o))),
        (Fp16ConversionPass.Descriptor, o => new Fp16ConversionPass(Fp16ConversionOptions.From(o))),
        (PrunePass.Descriptor, PrunePass.Create),
        (RecoverPass.Descriptor, RecoverPass.Create),
        (FineTunePass.Descriptor, o => new FineTunePass(FineTuneOptions.From(o))),
    ];

    /// <summary>The descriptors of every implemented pass; manifest validation, the JSON Schema and docs read these.</summary>
    public static PassCatalog Catalog { get; } = new(Entries.Select(e => e.Descriptor));

    /// <summary>
    /// The pass a manifest entry names, with <paramref name="options"/> as the manifest validator checked them
    /// (missing keys take the descriptor's defaults).
    /// </summary>
    public static ICompressionPass Create(string name, IReadOnlyDictionary<string, object?> options, SourceLocation where)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (descriptor, create) in Entries)
        {
            if (descriptor.Name == name)
            {
                return create(new PassOptions(descriptor, options));
            }
        }

        throw new CompressionException(DiagnosticCodes.UnknownPassAtRun, where,
            $"unknown pass '{name}'; the passes are: {string.Join(", ", Catalog.Names)}");
    }
}
