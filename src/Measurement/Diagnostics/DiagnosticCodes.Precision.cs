namespace CompressionTasks.Diagnostics;

/// <summary>Measured mixed precision codes (2180-2189): <c>quantize: { precision: auto }</c>.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>Error at validate: <c>precision: auto</c> given with a mode other than static.</summary>
    public static readonly DiagnosticCode PrecisionAutoNeedsStatic = new(2180, "precision: auto needs static mode");

    /// <summary>Warning: every int8 mix measured slower than fp32, so the pass returned the model in fp32.</summary>
    public static readonly DiagnosticCode PrecisionAutoKeptFp32 = new(2181, "precision: auto kept the model in fp32");

    /// <summary>Warning: the per-node profiles or the verification could not run, so the pass kept plain static int8.</summary>
    public static readonly DiagnosticCode PrecisionAutoNotMeasured = new(2182, "precision: auto could not measure");
}
