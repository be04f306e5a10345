namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>A pass name reached the pipeline without being known to the registry (the manifest validator normally stops this first).</summary>
    public static readonly DiagnosticCode UnknownPassAtRun = new(2100, "Unknown pass");
}
