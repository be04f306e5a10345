using CompressionTasks.Diagnostics;

namespace CompressionTasks.Tool.Cli;

/// <summary>Where a verb writes results (stdout) and diagnostics (stderr), and how it turns failures into exit codes.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>
    /// Runs a verb's body: a <see cref="CompressionException"/> prints its diagnostics in canonical form and maps to
    /// its exit code; cancellation exits 130; anything else is a bug (CMP9001, exit 3), printed without a stack trace
    /// unless COMPRESS_DEBUG is set.
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
            if (Environment.GetEnvironmentVariable("COMPRESS_DEBUG") is { Length: > 0 })
            {
                await Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.InternalError;
        }
    }
}
