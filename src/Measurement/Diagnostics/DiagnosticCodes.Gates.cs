namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>Mean latency grew past the allowed regression against the baseline report.</summary>
    public static readonly DiagnosticCode LatencyRegression = new(5050, "Latency regression");

    /// <summary>The model file grew past the allowed regression against the baseline report.</summary>
    public static readonly DiagnosticCode SizeRegression = new(5051, "Size regression");

    /// <summary>Energy per inference grew past the allowed regression against the baseline report.</summary>
    public static readonly DiagnosticCode EnergyRegression = new(5052, "Energy regression");

    /// <summary>Top-1 accuracy fell further than allowed against the baseline report.</summary>
    public static readonly DiagnosticCode AccuracyRegression = new(5053, "Accuracy regression");
}
