namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>A prune option the descriptor cannot check (a malformed <c>layerRatios</c> entry).</summary>
    public static readonly DiagnosticCode InvalidPruneOptions = new(2200, "Invalid prune options");

    /// <summary><c>recover</c> ran on a graph no structured <c>prune</c> pass changed before it in the same variant.</summary>
    public static readonly DiagnosticCode RecoverWithoutPrune = new(2201, "Recover without prune");

    /// <summary><c>recover</c> needs calibration data and the model names none.</summary>
    public static readonly DiagnosticCode RecoverWithoutCalibration = new(2202, "Recover without calibration data");

    /// <summary>ONNX Runtime could not run the original or pruned model on the calibration data.</summary>
    public static readonly DiagnosticCode RecoveryRunFailed = new(2203, "Recovery run failed");

    /// <summary>
    /// Structured <c>prune</c> found no channel group it may cut: every group is blocked (an operator the dependency graph
    /// cannot follow, a graph output) or protected. Writing the model unchanged would pass for a pruned variant.
    /// </summary>
    public static readonly DiagnosticCode NothingToPruneStructurally = new(2240, "Nothing to prune structurally");
}
