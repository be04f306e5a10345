namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>A report.json (baseline or one given to <c>report</c>/<c>compare</c>) cannot be read.</summary>
    public static readonly DiagnosticCode ReportUnreadable = new(1901, "Report unreadable");

    /// <summary>A model or variant name would make an output path outside the output folder or an invalid file name.</summary>
    public static readonly DiagnosticCode UnsafeOutputName = new(1902, "Unsafe output name");

    /// <summary>Another run holds the output folder's lock file for longer than a run waits.</summary>
    public static readonly DiagnosticCode OutputFolderInUse = new(1903, "Output folder in use");

    /// <summary>An absolute limit of the manifest (maxLatencyMs, maxSizeBytes, minTop1) does not hold.</summary>
    public static readonly DiagnosticCode LimitExceeded = new(5003, "Limit exceeded");

    /// <summary>A gate needs a number the run did not produce (no dataset, measurement switched off).</summary>
    public static readonly DiagnosticCode GateNotEvaluated = new(5004, "Gate not evaluated");
}
