using CompressionTasks.Diagnostics;
using CompressionTasks.Passes.Binding;
using CompressionTasks.Passes.Conversion;
using CompressionTasks.Passes.Equalization;
using CompressionTasks.Passes.FineTuning;
using CompressionTasks.Passes.Folding;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Recovery;

namespace CompressionTasks.Passes;

/// <summary>The passes a manifest may name. Adding a pass adds its folder and one line here.</summary>
public static class PassRegistry
{
    /// <summary>The descriptors of every implemented pass; manifest validation, the JSON Schema and docs read these.</summary>
    public static PassCatalog Catalog { get; } = new(
    [
        BatchNormFoldPass.Descriptor,
        QuantizePass.Descriptor,
        Fp16ConversionPass.Descriptor,
        PrunePass.Descriptor,
        RecoverPass.Descriptor,
        FineTunePass.Descriptor,
        EqualizePass.Descriptor,
    ]);

    /// <summary>
    /// The pass named <paramref name="name"/> with <paramref name="options"/> as a manifest would give them (bool,
    /// long, double, string, lists; keys left out take the defaults), for code that runs passes without a manifest.
    /// Problems binding finds are thrown at <paramref name="where"/>.
    /// </summary>
    public static ICompressionPass Create(string name, IReadOnlyDictionary<string, object?> options, SourceLocation where)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Catalog.TryGet(name, out var descriptor))
        {
            throw new CompressionException(DiagnosticCodes.UnknownPassAtRun, where,
                $"unknown pass '{name}'; the passes are: {string.Join(", ", Catalog.Names)}");
        }

        var (_, pass, problems) = descriptor.Bind(options, PassBindingContext.Unknown);
        if (problems.Count > 0)
        {
            throw new CompressionException([.. problems.Select(p => Diagnostic.Error(p.Code, where, $"{name}: {p.Message}"))]);
        }

        return pass;
    }
}
