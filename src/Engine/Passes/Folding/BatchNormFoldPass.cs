using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Folding;

/// <summary><c>- fold: batchnorm</c>: folds each BatchNormalization into the Conv before it.</summary>
public sealed class BatchNormFoldPass(BatchNormFoldOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = new(
        "fold",
        "Folds BatchNormalization into the preceding Conv (scale the weights, shift the bias); exact up to rounding.",
        [
            new PassOptionSpec("op", PassOptionKind.Choice, "The normalisation to fold.")
            {
                AllowedValues = ["batchnorm"],
                Default = "batchnorm",
            },
        ])
    {
        ScalarOption = "op",
    };

    public BatchNormFoldOptions Options { get; } = options;

    public string Name => Descriptor.Name;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var warnings = new List<string>();
        var folded = BatchNormFolder.Fold(graph, warnings);
        return new PassResult(new Dictionary<string, string> { ["foldedBatchNorms"] = folded.ToString(System.Globalization.CultureInfo.InvariantCulture) }, warnings);
    }
}
