using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// <c>prune: { method: magnitude | structured }</c>. Magnitude zeroes single weights (the file only shrinks sparse or
/// compressed); structured removes Conv channels and their coupled slices, giving a smaller dense model.
/// </summary>
public sealed class PrunePass(PruneOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = new("prune",
        "Removes weights: magnitude zeroes the smallest single weights (same dense size unless stored sparse); structured removes whole Conv output channels and every slice coupled to them (BN, depthwise Conv, residual Add, Concat, Flatten→Gemm).",
        [
            new PassOptionSpec("method", PassOptionKind.Choice, "magnitude (unstructured zeros) or structured (channel removal).") { AllowedValues = ["magnitude", "structured"], Required = true },
            new PassOptionSpec("ratio", PassOptionKind.Number, "Structured: share of channels removed from each channel group (scope layer) or from all of them (scope global).") { Minimum = 0, Maximum = 0.95, Default = 0.3 },
            new PassOptionSpec("sparsity", PassOptionKind.Number, "Magnitude: share of weights set to zero.") { Minimum = 0, Maximum = 1, Default = 0.5 },
            new PassOptionSpec("scope", PassOptionKind.Choice, "layer: the same share in every layer; global: one ranking across layers.") { AllowedValues = ["layer", "global"], Default = "layer" },
            new PassOptionSpec("importance", PassOptionKind.Choice, "Structured: channel importance, L1 or L2 norm of the filters, or |gamma| of the following BatchNormalization.") { AllowedValues = ["l1", "l2", "bn-scale"], Default = "l1" },
            new PassOptionSpec("roundTo", PassOptionKind.Integer, "Structured: kept channel counts are rounded up to a multiple of this.") { Minimum = 1, Maximum = 1024, Default = 1L },
            new PassOptionSpec("protect", PassOptionKind.StringList, "Node names left unpruned (structured: Convs whose output channels stay)."),
            new PassOptionSpec("layerRatios", PassOptionKind.StringList, "Per-node ratio (structured) or sparsity (magnitude), written nodeName=0.2."),
            new PassOptionSpec("protectFirstLast", PassOptionKind.Boolean, "Magnitude: keep the first and last weighted layers dense.") { Default = true },
            new PassOptionSpec("storage", PassOptionKind.Choice, "Magnitude: dense (same file size; zeros shrink only under compression) or sparse (ONNX sparse tensors where they are smaller).") { AllowedValues = ["dense", "sparse"], Default = "dense" },
        ]);

    public string Name => Descriptor.Name;

    public PruneOptions Options { get; } = options;

    public static PrunePass Create(IReadOnlyDictionary<string, object?> options) => Create(new PassOptions(Descriptor, options));

    public static PrunePass Create(PassOptions options)
    {
        try
        {
            return new PrunePass(PruneOptions.From(options));
        }
        catch (ArgumentException e)
        {
            throw new CompressionException(DiagnosticCodes.InvalidPruneOptions, SourceLocation.None, $"prune: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["method"] = Options.Method };
        var warnings = new List<string>();
        var before = Statistics(graph);
        if (Options.Method == "magnitude")
        {
            MagnitudePruner.Apply(graph, Options, details);
            if (Options.Storage == "sparse")
            {
                var converted = SparseWeightStorage.Apply(graph, graph.Nodes.Where(MagnitudePruner.IsWeighted).ToList());
                details["storage"] = string.Create(CultureInfo.InvariantCulture,
                    $"sparse: {converted} weight tensors stored as ONNX sparse tensors (COO, int64 indices); ONNX Runtime densifies them at load, so only the file shrinks");
            }
            else
            {
                details["storage"] = "dense: zeros are stored as ordinary weights, so the file is the same size; only the compressed (gzip) size shrinks";
            }
        }
        else
        {
            var record = PruningRecord.For(graph, Options.Method);
            var plan = StructuredPruner.Choose(graph, Options);
            StructuredPruner.Apply(graph, plan, record);
            StructuredPruner.Describe(plan, details);
            warnings.AddRange(plan.Warnings);
            graph.Cleanup();
        }

        var after = Statistics(graph);
        details["paramsBefore"] = before.ParameterCount.ToString(CultureInfo.InvariantCulture);
        details["paramsAfter"] = after.ParameterCount.ToString(CultureInfo.InvariantCulture);
        details["macsBefore"] = before.Macs.ToString(CultureInfo.InvariantCulture);
        details["macsAfter"] = after.Macs.ToString(CultureInfo.InvariantCulture);
        return new PassResult(details, warnings);
    }

    private static ModelStatistics Statistics(OnnxGraph graph) =>
        ModelStatistics.Compute(graph, ShapeInference.Run(graph, new ShapeInferenceOptions { UnboundSymbolValue = 1 }));
}
