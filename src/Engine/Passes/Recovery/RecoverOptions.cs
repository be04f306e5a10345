using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes.Binding;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>The options of <c>recover</c>: their one declaration (see <see cref="PassOptionAttribute"/>).</summary>
public sealed record RecoverOptions : IGivenPassOptions
{
    [PassOption("bn-recalibration, bias-correction or least-squares.")]
    public RecoveryMethod Method { get; init; } = RecoveryMethod.BnRecalibration;

    [PassOption("Calibration samples used at most.", Minimum = 1, Maximum = 1_000_000)]
    public int Samples { get; init; } = 512;

    public IReadOnlySet<string>? Given { get; init; }

    /// <summary>Whether <see cref="Samples"/> is a count to meet (given in the manifest, or set from code) rather than the default bound.</summary>
    public bool SamplesGiven => Given?.Contains("samples") ?? Samples != new RecoverOptions().Samples;

    /// <summary>Least squares: ridge strength, relative to the mean diagonal of XᵀX, pulling the weights towards the layer as pruned.</summary>
    [PassOption("Least squares: ridge strength relative to the mean diagonal of XᵀX, pulling each refitted layer towards its pruned weights.", Minimum = 0, Maximum = 10)]
    public double Ridge { get; init; } = 1e-3;

    /// <summary>
    /// Least squares: choose each layer's ridge among 1, 10, 100 and 1000 times <see cref="Ridge"/> by the residual on
    /// held-out calibration samples (every 5th), then refit on all of them; false fits once with <see cref="Ridge"/>.
    /// </summary>
    [PassOption("Least squares: pick each layer's ridge among 1, 10, 100 and 1000 times `ridge` by the error on held-out calibration samples (every 5th), then refit on all; false: one fit with `ridge`.")]
    public bool RidgeSearch { get; init; } = true;

    /// <summary>Least squares: layers with more input features (Cin·kh·kw) than this are skipped, bounding XᵀX at features² doubles.</summary>
    [PassOption("Least squares: layers with more input features (channels·kernel area) are skipped.", Minimum = 1, Maximum = 16384)]
    public int MaxFeatures { get; init; } = 4096;

    /// <summary>
    /// Least squares: rows (output positions) kept per input feature. A layer with more positions than this many rows
    /// per feature keeps a seeded choice of positions in each sample, evenly over the samples; 0 keeps every position.
    /// </summary>
    [PassOption("Least squares: rows (output positions) kept per input feature; beyond it a seeded choice of positions per sample is kept (0: all).", Minimum = 0, Maximum = 1_000_000)]
    public int RowsPerFeature { get; init; } = 256;

    public IEnumerable<PassBindingProblem> Check(PassBindingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Earlier is { } earlier && !earlier.Any(p => p.Options is PruneOptions { Method: PruneMethod.Structured }))
        {
            yield return new PassBindingProblem(DiagnosticCodes.RecoverNeedsStructuredPrune,
                "recover repairs a structurally pruned model towards the model before pruning, but no `prune: { method: structured }` comes before it in this variant; put one first");
        }

        if (context.HasCalibration == false)
        {
            yield return new PassBindingProblem(DiagnosticCodes.PassNeedsCalibration,
                $"recover runs on calibration data, but {context.ModelLabel} has no `calibration:` dataset; add one to the model");
        }
    }
}

public enum RecoveryMethod
{
    /// <summary>Re-estimate BatchNormalization statistics (the pruned layers' biases when BN was folded).</summary>
    [ManifestName("bn-recalibration")]
    BnRecalibration,

    /// <summary>Shift each pruned layer's bias so its output mean matches the unpruned model's.</summary>
    [ManifestName("bias-correction")]
    BiasCorrection,

    /// <summary>Refit each pruned layer's weights by ridge regression to the unpruned layer's outputs.</summary>
    [ManifestName("least-squares")]
    LeastSquares,
}
