namespace CompressionTasks.Diagnostics;

/// <summary>
/// Calibration and tuning data: which samples a search (fallback, precision) may judge candidates on, and the passes
/// that prepare a model for quantization (2140-2149 run time, 2220-2229 equalization and recovery, 1074 manifest).
/// </summary>
public static partial class DiagnosticCodes
{
    /// <summary>Known from the manifest: the tuning set (the calibration set) is the set the gates judge.</summary>
    public static readonly DiagnosticCode TuningOnEvaluationSet = new(1074, "Accuracy search would tune on the evaluation set");

    /// <summary>At run time: a search was asked to tune on the dataset the gates judge.</summary>
    public static readonly DiagnosticCode TuningSetIsEvaluationSet = new(2140, "Tuning set is the evaluation set");

    /// <summary>At run time: the tuning set has no labels, so top-1 cannot be measured on it.</summary>
    public static readonly DiagnosticCode TuningSetUnlabelled = new(2141, "Tuning set has no labels");
}
