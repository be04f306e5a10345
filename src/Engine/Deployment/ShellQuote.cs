namespace CompressionTasks.Deployment;

/// <summary>
/// POSIX shell quoting for values baked into generated scripts. Single quotes take everything literally, so the only
/// character to handle is the single quote itself (close, escaped quote, reopen); no expansion can ever happen.
/// </summary>
public static class ShellQuote
{
    public static string Single(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A value for a script comment: one line, no control characters.</summary>
    public static string Comment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }
}
