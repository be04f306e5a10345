namespace CompressionTasks.Diagnostics;

/// <summary>21xx: compression passes (folding, quantization, fp16 conversion).</summary>
public static partial class DiagnosticCodes
{
    /// <summary>A pass name reached the pipeline without being known to the registry (the manifest validator normally stops this first).</summary>
    public static readonly DiagnosticCode UnknownPassAtRun = new(2100, "Unknown pass");
    public static readonly DiagnosticCode CalibrationDataMissing = new(2102, "Static quantization needs calibration data");
    public static readonly DiagnosticCode CalibrationDataIncompatible = new(2103, "Calibration samples do not fit the model input");
    public static readonly DiagnosticCode CalibrationFailed = new(2104, "Calibration run failed");
    public static readonly DiagnosticCode AccuracyProbeMissing = new(2105, "Accuracy-aware fallback needs an evaluation dataset");
}
