using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// The data an accuracy search (fallback, precision) judges its candidates on: the calibration samples the ranges came
/// from, never the evaluation set the gates then judge the result on, which would make the gate's verdict optimistic
/// (a search picks whatever happens to do well on the samples it sees).
/// </summary>
public static class TuningSet
{
    /// <summary>The calibration set as the calibration feed reads it (at most <paramref name="samples"/>, stratified); refuses the evaluation set.</summary>
    public static DatasetSource For(PassContext context, int samples, string search)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calibration = context.Calibration
            ?? throw new CompressionException(DiagnosticCodes.CalibrationDataMissing, SourceLocation.None with { Element = $"model {context.ModelName}" },
                $"model '{context.ModelName}': {search} tunes on the calibration set, and the model has none; set `calibration:` on the model");
        if (context.Evaluation is { } evaluation && Overlaps(calibration, evaluation))
        {
            throw new CompressionException(DiagnosticCodes.TuningSetIsEvaluationSet, SourceLocation.InFile(calibration.Path),
                $"model '{context.ModelName}': {search} would tune on '{calibration.Name}', which is the evaluation set '{evaluation.Name}' the gates judge; give the model a calibration set of its own");
        }

        return calibration.WithSubsample(samples);
    }

    /// <summary>
    /// Whether two declared datasets may share samples: they read the same files (same data path), unless one leaves
    /// out exactly what the other selects (<c>except</c>). The manifest check uses the same rule.
    /// </summary>
    public static bool Overlaps(DatasetSource a, DatasetSource b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return SamePath(a.Path, b.Path) && !a.Excludes(b) && !b.Excludes(a);
    }

    public static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    /// <summary>A probe's answer, or the error that the tuning set has no labels (the probe returns NaN then).</summary>
    public static double Top1(double top1, DatasetSource tuning, PassContext context, string search)
    {
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(context);
        return double.IsNaN(top1)
            ? throw new CompressionException(DiagnosticCodes.TuningSetUnlabelled, SourceLocation.InFile(tuning.Path),
                $"model '{context.ModelName}': {search} measures top-1 on the calibration set '{tuning.Name}', which has no labels; give it labels or remove the search")
            : top1;
    }
}
