using System.CommandLine;


namespace CompressionTasks.Tool.Cli;

/// <summary>The <c>dotnet compress</c> command tree. Each verb lives in its own file under Commands/.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Compress, evaluate and measure ONNX models as described by a compression.yaml manifest.");
        // Verbs are added here, one line each (see Commands/).
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(stdout, stderr);
        var root = Build(context);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
