namespace CompressionTasks.Tool.Cli;

/// <summary>
/// Whether standard error is a person's terminal (progress bars, colour) or a log (plain lines, no control characters).
/// </summary>
/// <param name="IsInteractive">Standard error is a terminal, and neither <c>CI</c> nor <c>TERM=dumb</c> says otherwise.</param>
/// <param name="UseColor">Interactive and <c>NO_COLOR</c> is unset or empty (https://no-color.org).</param>
/// <param name="Width">Columns available, for help text.</param>
public sealed record TerminalInfo(bool IsInteractive, bool UseColor, int Width)
{
    /// <summary>Width help is wrapped at when the output is not a terminal, so logs and the committed snapshots agree.</summary>
    public const int RedirectedWidth = 100;

    /// <summary>Plain output: what tests and redirected runs get.</summary>
    public static TerminalInfo Redirected { get; } = new(false, false, RedirectedWidth);

    public static TerminalInfo Detect()
    {
        var ci = Environment.GetEnvironmentVariable("CI") is { Length: > 0 } value && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
        var dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        var interactive = !Console.IsErrorRedirected && !ci && !dumb;
        if (!interactive)
        {
            return Redirected;
        }

        var noColor = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        return new TerminalInfo(true, !noColor, Console.IsOutputRedirected ? RedirectedWidth : SafeWindowWidth());
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth is > 20 and var width ? width : RedirectedWidth;
        }
        catch (IOException)
        {
            return RedirectedWidth;
        }
    }
}
