using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// <c>recover: { method: ... }</c>: gradient-free repair of a structurally pruned model from calibration data, comparing
/// it with the model as it was before pruning (kept by the prune pass in a <see cref="PruningRecord"/>).
/// </summary>
public sealed class RecoverPass(RecoverOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = new("recover",
        "Repairs a structurally pruned model without gradients, on the model's calibration data: re-estimates BatchNormalization statistics, corrects biases, or refits each pruned layer's weights by least squares to the unpruned layer's outputs.",
        [
            new PassOptionSpec("method", PassOptionKind.Choice, "bn-recalibration, bias-correction or least-squares.") { AllowedValues = ["bn-recalibration", "bias-correction", "least-squares"], Default = "bn-recalibration" },
            new PassOptionSpec("samples", PassOptionKind.Integer, "Calibration samples used at most.") { Minimum = 1, Maximum = 1_000_000, Default = 512L },
            new PassOptionSpec("ridge", PassOptionKind.Number, "Least squares: ridge strength relative to the mean diagonal of XᵀX.") { Minimum = 0, Maximum = 10, Default = 1e-3 },
            new PassOptionSpec("maxFeatures", PassOptionKind.Integer, "Least squares: layers with more input features (channels·kernel area) are skipped.") { Minimum = 1, Maximum = 16384, Default = 4096L },
        ]) { ScalarOption = "method" };

    public string Name => Descriptor.Name;

    public RecoverOptions Options { get; } = options;

    public static RecoverPass Create(IReadOnlyDictionary<string, object?> options) => Create(new PassOptions(Descriptor, options));

    public static RecoverPass Create(PassOptions options) => new(RecoverOptions.From(options));

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        if (!PruningRecord.TryGet(graph, out var record) || record.Kept.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.RecoverWithoutPrune, SourceLocation.None,
                $"recover ({context.ModelName}): no structured prune pass ran before it in this variant, so there is no unpruned model to recover towards");
        }

        if (context.Calibration is null)
        {
            throw new CompressionException(DiagnosticCodes.RecoverWithoutCalibration, SourceLocation.None,
                $"recover ({context.ModelName}): the model has no calibration dataset; add 'calibration:' to the model in the manifest");
        }

        using var activations = new CalibrationActivations(DatasetReader.Open(context.Calibration), Options.Samples, context.IntraOpThreads, context.ModelName);
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = Options.Method,
            ["samples"] = activations.Samples.ToString(CultureInfo.InvariantCulture),
        };
        var warnings = new List<string>();
        var method = Options.Method;
        if (method == "bn-recalibration" && !graph.Nodes.Any(n => n.OpType == "BatchNormalization"))
        {
            // BatchNormalization folded into the convolutions lives on in their biases: re-estimate those instead.
            method = "bias-correction";
            details["fallback"] = "no BatchNormalization left (folded into the convolutions): the pruned layers' biases were re-estimated instead";
        }

        var changed = method switch
        {
            "bias-correction" => BiasCorrection.Apply(graph, record, activations, context.CancellationToken),
            "least-squares" => LeastSquaresReconstruction.Apply(graph, record, activations, Options, warnings, context.CancellationToken),
            _ => BatchNormRecalibration.Apply(graph, record, activations, context.CancellationToken),
        };
        details["layers"] = changed.ToString(CultureInfo.InvariantCulture);
        return new PassResult(details, warnings);
    }
}
