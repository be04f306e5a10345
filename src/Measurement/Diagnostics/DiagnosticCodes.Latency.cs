namespace CompressionTasks.Diagnostics;

/// <summary>Interleaved latency measurement codes (4010-4029, 1075-1079); documented in docs/errors.md.</summary>
public static partial class DiagnosticCodes
{
    public static readonly DiagnosticCode MeasurementContended = new(4010, "Latency measured on a contended machine");
    public static readonly DiagnosticCode BenchInputShapeInvalid = new(4011, "Invalid bench input shape");
    public static readonly DiagnosticCode SessionEpochsTooCostly = new(4012, "Session epochs do not fit the time budget");
    public static readonly DiagnosticCode CpuClockNeedsOneThread = new(1075, "CPU-time latency clock needs one intra-op thread");
}
