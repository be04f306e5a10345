namespace CompressionTasks.Tool.Cli;

/// <summary>How much a verb says on standard error besides its diagnostics (<c>--quiet</c>, <c>--verbose</c>).</summary>
public enum Verbosity
{
    /// <summary>Diagnostics and results only: no progress.</summary>
    Quiet,

    Normal,

    /// <summary>Also what each pass and measurement is doing, and stack traces of internal errors.</summary>
    Verbose,
}
