namespace CompressionTasks.Diagnostics;

/// <summary>
/// Bad input, a failed gate or an unavailable resource, thrown at the edge where it is first seen.
/// The shells turn it into printed diagnostics and an exit code; it never surfaces as a stack trace.
/// </summary>
public sealed class CompressionException : Exception
{
    public CompressionException(DiagnosticCode code, SourceLocation location, string message, Exception? inner = null)
        : this([Diagnostic.Error(code, location, message)], inner)
    {
    }

    public CompressionException(IReadOnlyList<Diagnostic> diagnostics, Exception? inner = null)
        : base(diagnostics.Count > 0 ? diagnostics[0].ToString() : "compression failed", inner)
    {
        if (diagnostics.Count == 0)
        {
            throw new ArgumentException("At least one diagnostic is required.", nameof(diagnostics));
        }

        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public DiagnosticCode Code => Diagnostics[0].Code;

    /// <summary>The worst exit code among the errors (internal &gt; invalid input &gt; gate failed).</summary>
    public int ExitCode => Diagnostics
        .Where(d => d.Severity == DiagnosticSeverity.Error)
        .Select(d => d.Code.ExitCode)
        .DefaultIfEmpty(ExitCodes.InvalidInput)
        .Max();
}
