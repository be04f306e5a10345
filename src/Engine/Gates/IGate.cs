using CompressionTasks.Diagnostics;

namespace CompressionTasks.Gates;

/// <summary>
/// A gate bound from the manifest when it loads (or, for <c>run --baseline</c>, from the command line): a condition some
/// variants must meet, with the name report.json gives it (unique within a run), where it was written, and the code its
/// failure is reported with. Failures find their manifest line through this object, never by looking a name up.
/// </summary>
public interface IGate
{
    string Name { get; }

    /// <summary>The gate's entry in the manifest, or the baseline report a command-line gate compares with.</summary>
    SourceLocation Location { get; }

    /// <summary>The code a failure of this gate is reported with (a verdict may carry a more specific one, e.g. not evaluated).</summary>
    DiagnosticCode Code { get; }

    bool AppliesTo(string model, string variant);
}
