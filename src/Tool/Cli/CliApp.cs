using System.CommandLine;
using CompressionTasks.Diagnostics;
using CompressionTasks.Passes;
using CompressionTasks.Tool.Commands;

namespace CompressionTasks.Tool.Cli;

/// <summary>The <c>dotnet compress</c> command tree. Each verb lives in its own file under Commands/.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Compress, evaluate and measure ONNX models as described by a compression.yaml manifest.");
        // Verbs are added here, one line each (see Commands/).
        var passes = PassRegistry.Catalog;
        root.Add(InitCommand.Create(context, passes));
        root.Add(ValidateCommand.Create(context, passes));
        root.Add(InspectCommand.Create(context));
        root.Add(RunCommand.Create(context));
        root.Add(ReportCommand.Create(context));
        root.Add(CompareCommand.Create(context));
        root.Add(DeployCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(stdout, stderr);
        var root = Build(context);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // Usage errors exit 2 (DESIGN.md); System.CommandLine's own default would be 1, which means "a gate failed".
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync(Diagnostic.Error(DiagnosticCodes.UsageError, SourceLocation.None, error.Message).ToString()).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'dotnet compress --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
