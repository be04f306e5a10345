namespace CompressionTasks.Diagnostics;

/// <summary>Sample counts of the steps that learn from data: calibration, recovery, fine-tuning (3020-3039).</summary>
public static partial class DiagnosticCodes
{
    /// <summary>A pass was asked (explicitly) for more samples than its dataset selects.</summary>
    public static readonly DiagnosticCode TooFewSamples = new(3020, "Too few samples");

}
