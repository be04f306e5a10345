using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CompressionTasks.Tasks;

/// <summary>
/// Runs <c>dotnet exec dotnet-compress.dll run</c> out of process, with the engine's deps.json and runtimeconfig.json.
/// The engine's folder holds its whole dependency closure (ONNX Runtime's managed part and natives included), so
/// nothing is probed in the NuGet cache and the app's own package versions never meet the engine's; ONNX Runtime
/// and the engine never load into the build node.
/// The engine prints canonical diagnostics (<c>file(line,col): error CMP5001: ...</c>); each line is logged through
/// MSBuild's canonical-error parser, so gate failures become errors with their code, file and line, and
/// <c>NoWarn</c> / <c>-warnaserror</c> apply to the engine's warnings.
/// </summary>
public sealed class RunCompressionEngine : ToolTask
{
    private const int TailLines = 8;
    private static readonly Regex EngineDiagnostic = new(@":\s*(error|warning|info)\s+CMP\d{4}\s*:", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private readonly Queue<string> _tail = new();

    /// <summary>The .NET host (<c>$(DOTNET_HOST_PATH)</c>); empty means <c>dotnet</c> from PATH.</summary>
    public string? DotnetHostPath { get; set; }

    /// <summary>The engine's entry point, dotnet-compress.dll.</summary>
    [Required]
    public string EngineAssembly { get; set; } = string.Empty;

    [Required]
    public string DepsFile { get; set; } = string.Empty;

    [Required]
    public string RuntimeConfig { get; set; } = string.Empty;

    [Required]
    public string Manifest { get; set; } = string.Empty;

    [Required]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>False: failed gates are reported as warnings and the run succeeds (<c>--gates-as-warnings</c>).</summary>
    public bool FailOnGate { get; set; } = true;

    /// <summary>False: no latency, operator breakdown or energy measurement (<c>--no-measure</c>).</summary>
    public bool Measure { get; set; } = true;

    /// <summary>False: no accuracy evaluation (<c>--no-evaluate</c>).</summary>
    public bool Evaluate { get; set; } = true;

    /// <summary>MODEL or MODEL/VARIANT (<c>--only</c>).</summary>
    public string? Only { get; set; }

    /// <summary>cpu, cuda or tensorrt: overrides the manifest's <c>measure.executionProvider</c> (<c>--execution-provider</c>).</summary>
    public string? ExecutionProvider { get; set; }

    /// <summary>A previous report.json: latency and size regression gates against it (<c>--baseline</c>).</summary>
    public string? Baseline { get; set; }

    protected override string ToolName => IsWindows ? "dotnet.exe" : "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    protected override string GenerateFullPathToTool()
    {
        if (!string.IsNullOrEmpty(DotnetHostPath) && File.Exists(DotnetHostPath))
        {
            return DotnetHostPath!;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator))
        {
            if (folder.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(folder.Trim('"'), ToolName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return ToolName;
    }

    protected override string GetWorkingDirectory() => Path.GetDirectoryName(Path.GetFullPath(Manifest)) ?? base.GetWorkingDirectory();

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendSwitch("exec");
        builder.AppendSwitchIfNotNull("--depsfile ", DepsFile);
        builder.AppendSwitchIfNotNull("--runtimeconfig ", RuntimeConfig);
        builder.AppendFileNameIfNotNull(EngineAssembly);
        builder.AppendSwitch("run");
        builder.AppendSwitchIfNotNull("--manifest ", Manifest);
        // A trailing separator inside quotes would escape the closing quote on Windows.
        builder.AppendSwitchIfNotNull("--out ", Folder.TrimEnd(OutputPath));
        builder.AppendSwitchIfNotNull("--only ", string.IsNullOrEmpty(Only) ? null : Only);
        builder.AppendSwitchIfNotNull("--execution-provider ", string.IsNullOrEmpty(ExecutionProvider) ? null : ExecutionProvider);
        builder.AppendSwitchIfNotNull("--baseline ", string.IsNullOrEmpty(Baseline) ? null : Baseline);
        if (!Measure)
        {
            builder.AppendSwitch("--no-measure");
        }

        if (!Evaluate)
        {
            builder.AppendSwitch("--no-evaluate");
        }

        if (!FailOnGate)
        {
            builder.AppendSwitch("--gates-as-warnings");
        }

        return builder.ToString();
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        _tail.Enqueue(singleLine);
        while (_tail.Count > TailLines)
        {
            _tail.Dequeue();
        }

        // Only the engine's own diagnostics go through the canonical-error parser: the host's failure text starts
        // with "Error:", which the parser would turn into an error without a code, hiding CMP7003.
        if (EngineDiagnostic.IsMatch(singleLine))
        {
            Log.LogMessageFromText(singleLine, messageImportance);
        }
        else
        {
            Log.LogMessage(messageImportance, "{0}", singleLine);
        }
    }

    protected override bool HandleTaskExecutionErrors()
    {
        // Exit 1 (gate) and 2 (invalid input) come with the engine's own canonical errors; repeating
        // "exited with code 1" would only add noise.
        if (Log.HasLoggedErrors)
        {
            return false;
        }

        var output = string.Join(Environment.NewLine, _tail);
        Log.LogError(null, TaskDiagnosticCodes.EngineFailed, null, Manifest, 0, 0, 0, 0,
            "the compression engine exited with code {0} without a diagnostic. Command: {1} {2}. Last output: {3}",
            ExitCode, GenerateFullPathToTool(), GenerateCommandLineCommands(), output.Length == 0 ? "(none)" : output);
        return false;
    }
}
