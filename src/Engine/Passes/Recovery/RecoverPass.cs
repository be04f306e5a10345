using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// <c>recover: { method: ... }</c>: gradient-free repair of a structurally pruned model from calibration data, comparing
/// it with the model as it was before pruning (kept by the prune pass in a <see cref="PruningRecord"/>).
/// </summary>
public sealed class RecoverPass(RecoverOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<RecoverOptions>("recover",
        "Repairs a structurally pruned model without gradients, on the model's calibration data: re-estimates BatchNormalization statistics, corrects biases, or refits each pruned layer's weights by least squares to the unpruned layer's outputs.",
        o => new RecoverPass(o),
        scalarOption: "method");

    public string Name => Descriptor.Name;

    public RecoverOptions Options { get; } = options;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        if (!PruningRecord.TryGet(context.State, out var record) || record.Kept.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.RecoverWithoutPrune, SourceLocation.None,
                $"recover ({context.ModelName}): no structured prune pass ran before it in this variant, so there is no unpruned model to recover towards");
        }

        if (context.Calibration is null)
        {
            throw new CompressionException(DiagnosticCodes.RecoverWithoutCalibration, SourceLocation.None,
                $"recover ({context.ModelName}): the model has no calibration dataset; add 'calibration:' to the model in the manifest");
        }

        using var activations = new CalibrationActivations(DatasetReader.Open(context.Calibration.WithSubsample(Options.Samples)), Options.Samples, Options.SamplesGiven, context.IntraOpThreads, context.ModelName);
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = ManifestNames.Name(Options.Method),
            ["samples"] = activations.Samples.ToString(CultureInfo.InvariantCulture),
        };
        var warnings = context.Warnings;
        var method = Options.Method;
        if (method == RecoveryMethod.BnRecalibration && !graph.Nodes.Any(n => n.OpType == "BatchNormalization"))
        {
            // BatchNormalization folded into the convolutions lives on in their biases: re-estimate those instead.
            method = RecoveryMethod.BiasCorrection;
            details["fallback"] = "no BatchNormalization left (folded into the convolutions): the pruned layers' biases were re-estimated instead";
        }

        int changed;
        if (method == RecoveryMethod.LeastSquares)
        {
            var ridges = LeastSquaresReconstruction.Apply(graph, record, activations, Options, warnings, context.CancellationToken);
            changed = ridges.Count;
            if (ridges.Count > 0)
            {
                details["ridge"] = RidgeSummary(ridges);
            }
        }
        else
        {
            changed = method == RecoveryMethod.BiasCorrection
                ? BiasCorrection.Apply(graph, record, activations, context.CancellationToken)
                : BatchNormRecalibration.Apply(graph, record, activations, context.CancellationToken);
        }

        details["layers"] = changed.ToString(CultureInfo.InvariantCulture);
        return new PassResult(details, []);
    }

    /// <summary>How many layers were solved with each ridge, smallest ridge first: "0.001 ×3, 0.1 ×16".</summary>
    internal static string RidgeSummary(IEnumerable<double> ridges) =>
        string.Join(", ", ridges.GroupBy(r => r).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString("G4", CultureInfo.InvariantCulture)} ×{g.Count().ToString(CultureInfo.InvariantCulture)}"));
}
