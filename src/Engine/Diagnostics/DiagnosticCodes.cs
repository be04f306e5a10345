namespace CompressionTasks.Diagnostics;

/// <summary>
/// The catalogue of every diagnostic code. Each area keeps its codes in its own part of this partial class
/// (DiagnosticCodes.Manifest.cs, DiagnosticCodes.Model.cs, ...); docs/errors.md lists them all with cause and fix.
/// </summary>
public static partial class DiagnosticCodes
{
    /// <summary>The command line itself is wrong: an unknown verb or option, a missing argument.</summary>
    public static readonly DiagnosticCode UsageError = new(1900, "Invalid command line");

    public static readonly DiagnosticCode InternalError = new(9001, "Internal error");
    public static readonly DiagnosticCode Cancelled = new(9002, "Cancelled");
}
