using System.Globalization;
using CompressionTasks.Manifest;
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
    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<PruneOptions>("prune",
        "Removes weights: magnitude zeroes the smallest single weights (same dense size unless stored sparse); structured removes whole Conv output channels and every slice coupled to them (BN, depthwise Conv, residual Add, Concat, Flatten→Gemm).",
        o => new PrunePass(o));

    public string Name => Descriptor.Name;

    public PruneOptions Options { get; } = options;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["method"] = ManifestNames.Name(Options.Method) };
        var warnings = context.Warnings;
        var before = Statistics(graph, context);
        if (Options.Method == PruneMethod.Magnitude)
        {
            MagnitudePruner.Apply(graph, Options, details);
            if (Options.Storage == WeightStorage.Sparse)
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
            var plan = StructuredPruner.Choose(graph, Options, context.Shapes);
            if (plan.Candidates == 0)
            {
                throw StructuredPruner.NothingToPrune(plan, Options, context.ModelName);
            }

            var record = PruningRecord.For(context.State, graph);
            StructuredPruner.Apply(graph, plan, record);
            StructuredPruner.Describe(plan, details);
            foreach (var warning in plan.Warnings)
            {
                warnings.Add(warning);
            }
            graph.Cleanup();
        }

        var after = Statistics(graph, context);
        details["paramsBefore"] = before.ParameterCount.ToString(CultureInfo.InvariantCulture);
        details["paramsAfter"] = after.ParameterCount.ToString(CultureInfo.InvariantCulture);
        details["macsBefore"] = before.Macs.ToString(CultureInfo.InvariantCulture);
        details["macsAfter"] = after.Macs.ToString(CultureInfo.InvariantCulture);
        return new PassResult(details, []);
    }

    private static ModelStatistics Statistics(OnnxGraph graph, PassContext context) =>
        ModelStatistics.Compute(graph, ShapeInference.Run(graph, context.StatisticsShapes, context.CancellationToken));
}
