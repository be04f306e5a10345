namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>A report.json (baseline or one given to <c>report</c>/<c>compare</c>) cannot be read.</summary>
    public static readonly DiagnosticCode ReportUnreadable = new(1901, "Report unreadable");
}
