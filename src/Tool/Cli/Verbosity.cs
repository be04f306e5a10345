namespace CompressionTasks.Tool.Cli;

/// <summary>How much a verb says on standard error besides its diagnostics (<c>--quiet</c>, <c>--verbose</c>).</summary>
public enum Verbosity
{
    /// <summary>Diagnostics and results only: no progress.</summary>
    Quiet,

    Normal,

    /// <summary>Stack traces of internal errors; in a terminal, also the detail lines that redirected output always has.</summary>
    Verbose,
}
