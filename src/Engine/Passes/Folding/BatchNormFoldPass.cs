using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Folding;

/// <summary><c>- fold: batchnorm</c>: folds each BatchNormalization into the Conv before it.</summary>
public sealed class BatchNormFoldPass(BatchNormFoldOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<BatchNormFoldOptions>(
        "fold",
        "Folds BatchNormalization into the preceding Conv (scale the weights, shift the bias); exact up to rounding.",
        o => new BatchNormFoldPass(o),
        scalarOption: "op");

    public BatchNormFoldOptions Options { get; } = options;

    public string Name => Descriptor.Name;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var folded = BatchNormFolder.Fold(graph, context.Warnings);
        return new PassResult(new Dictionary<string, string> { ["foldedBatchNorms"] = folded.ToString(System.Globalization.CultureInfo.InvariantCulture) }, []);
    }
}
