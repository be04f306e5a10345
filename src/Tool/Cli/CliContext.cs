using CompressionTasks.Diagnostics;

namespace CompressionTasks.Tool.Cli;

/// <summary>
/// Where a verb writes results (stdout) and diagnostics (stderr), what kind of terminal that is, how much to say
/// (<c>--quiet</c>/<c>--verbose</c>), and how failures become exit codes.
/// </summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, TerminalInfo terminal)
{
    public CliContext(TextWriter stdout, TextWriter stderr)
        : this(stdout, stderr, TerminalInfo.Redirected)
    {
    }

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public TerminalInfo Terminal { get; } = terminal;

    /// <summary>Set from the global options once the command line is parsed.</summary>
    public Verbosity Verbosity { get; internal set; } = Verbosity.Normal;

    /// <summary>A remark for people (not a result, not a diagnostic): on stderr, unless <c>--quiet</c>.</summary>
    public async Task InfoAsync(string message)
    {
        if (Verbosity != Verbosity.Quiet)
        {
            await Error.WriteLineAsync(message).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a verb's body: a <see cref="CompressionException"/> prints its diagnostics in canonical form and maps to
    /// its exit code; cancellation exits 130; anything else is a bug (CMP9001, exit 3), printed without a stack trace
    /// unless <c>--verbose</c> is given or COMPRESS_DEBUG is set.
    /// </summary>
    public async Task<int> ExecuteAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (CompressionException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                await Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
            }

            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Error.WriteLineAsync(Diagnostic.Error(DiagnosticCodes.Cancelled, SourceLocation.None, "cancelled").ToString()).ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The shell is the one place that must turn every failure into an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var message = $"internal error: {ex.GetType().Name}: {ex.Message}. Please file an issue with the command you ran.";
            await Error.WriteLineAsync(Diagnostic.Error(DiagnosticCodes.InternalError, SourceLocation.None, message).ToString()).ConfigureAwait(false);
            if (Verbosity == Verbosity.Verbose || Environment.GetEnvironmentVariable("COMPRESS_DEBUG") is { Length: > 0 })
            {
                await Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.InternalError;
        }
    }
}
