using System.CommandLine;
using System.CommandLine.Help;
using CompressionTasks.Diagnostics;
using CompressionTasks.Passes;
using CompressionTasks.Tool.Commands;

namespace CompressionTasks.Tool.Cli;

/// <summary>The <c>dotnet compress</c> command tree. Each verb lives in its own file under Commands/.</summary>
public static class CliApp
{
    public const string QuietOptionName = "--quiet";
    public const string VerboseOptionName = "--verbose";

    /// <summary>How long Ctrl+C waits for a run to delete its partial outputs before the process exits anyway.</summary>
    private static readonly TimeSpan CancellationGracePeriod = TimeSpan.FromSeconds(15);

    public static RootCommand Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand(
            "Compress, evaluate and measure ONNX models as described by a compression.yaml manifest.\n" +
            "Exit codes: 0 ok, 1 a gate failed, 2 invalid input or usage, 3 internal error, 130 cancelled.");
        var quiet = new Option<bool>(QuietOptionName, "-q") { Description = "Print only results and diagnostics: no progress.", Recursive = true };
        var verbose = new Option<bool>(VerboseOptionName, "-v") { Description = "Print stack traces of internal errors and, in a terminal, the step-by-step lines redirected output always has.", Recursive = true };
        root.Options.Add(quiet);
        root.Options.Add(verbose);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpAction { MaxWidth = context.Terminal.Width };
        }

        // Verbs are added here, one line each (see Commands/).
        var passes = PassRegistry.Catalog;
        root.Add(InitCommand.Create(context, passes));
        root.Add(ValidateCommand.Create(context, passes));
        root.Add(InspectCommand.Create(context));
        root.Add(EvalCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        root.Add(RunCommand.Create(context));
        root.Add(ReportCommand.Create(context));
        root.Add(CompareCommand.Create(context));
        root.Add(DeployCommand.Create(context));
        root.Add(PlanCommand.Create(context));

        // After the verbs: a command validator only runs for the command that was invoked, so every verb needs its own.
        AddToEveryCommand(root, command => command.Validators.Add(result =>
        {
            if (result.GetValue(quiet) && result.GetValue(verbose))
            {
                result.AddError("--quiet and --verbose cannot be used together.");
            }
        }));
        return root;
    }

    private static void AddToEveryCommand(Command command, Action<Command> add)
    {
        add(command);
        foreach (var subcommand in command.Subcommands)
        {
            AddToEveryCommand(subcommand, add);
        }
    }

    /// <summary>Runs with plain, redirected-style output (tests, embedding).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliContext(stdout, stderr), cancellationToken);

    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Parsing runs validators and converters: a bug there must still end as CMP9001 and exit 3, not a crash.
        return context.ExecuteAsync(token => ParseAndInvokeAsync(args, context, token), cancellationToken);
    }

    private static async Task<int> ParseAndInvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = Build(context);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // Usage errors exit 2 (DESIGN.md); System.CommandLine's own default would be 1, which means "a gate failed".
            foreach (var error in parseResult.Errors)
            {
                await context.Error.WriteLineAsync(Diagnostic.Error(DiagnosticCodes.UsageError, SourceLocation.None, error.Message).ToString()).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'dotnet compress --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        context.Verbosity = parseResult.GetValue<bool>(QuietOptionName) ? Verbosity.Quiet
            : parseResult.GetValue<bool>(VerboseOptionName) ? Verbosity.Verbose
            : Verbosity.Normal;
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            ProcessTerminationTimeout = CancellationGracePeriod,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
