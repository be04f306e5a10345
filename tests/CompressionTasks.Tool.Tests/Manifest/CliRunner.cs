using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Tests.Manifest;

internal static class CliRunner
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, cancellationToken);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
