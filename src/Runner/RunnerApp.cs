using System.Text.Json;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Runner.OnnxRuntime;

namespace CompressionTasks.Runner;

/// <summary>
/// The runner's entry: parse, measure (the GPU path with trtexec, or the CPU path through ONNX Runtime's C API loaded
/// from the given native library), write the fragment. Errors
/// print as canonical diagnostics (<c>file: error CMP6006: ...</c>) with the tool's exit codes: 2 bad input, 3 a bug.
/// </summary>
public static class RunnerApp
{
    public const string Name = "compression-runner";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args is ["--help"] or ["-h"])
        {
            stdout.WriteLine(RunnerArguments.Usage);
            return args.Length == 0 ? ExitCodes.InvalidInput : ExitCodes.Success;
        }

        try
        {
            var options = RunnerArguments.Parse(args);
            var deployment = options.DeploymentPath is { } path ? ReadDeployment(path) : null;
            DeviceReportFragment fragment;
            if (options.ExecutionProvider == "tensorrt")
            {
                stderr.WriteLine($"{Name}: timing the TensorRT engine {options.EnginePath} with trtexec; measuring {options.ModelPath}");
                fragment = TrtexecMeasurement.Measure(options, deployment);
            }
            else
            {
                var api = OrtCApi.Load(options.OnnxRuntimeLibrary!);
                stderr.WriteLine($"{Name}: ONNX Runtime {api.Version} (C API version {api.ApiVersion}; providers: {string.Join(", ", api.AvailableProviders())}) from {api.LibraryPath}; measuring {options.ModelPath}");
                fragment = DeviceMeasurement.Measure(options, deployment, api);
            }

            AtomicFile.WriteAllText(options.OutputPath, JsonSerializer.Serialize(fragment, RunnerJsonContext.Default.DeviceReportFragment) + "\n");
            stdout.WriteLine($"{fragment.Model}/{fragment.Variant} on {fragment.Device.HostName}: {fragment.Latency.Mean:0.###} ms mean over {fragment.Latency.Runs} runs ({fragment.Latency.StopReason}); "
                + (fragment.Energy.JoulesPerInference is { } joules ? $"{joules * 1000:0.###} mJ per inference" : $"energy unavailable: {fragment.Energy.Unavailable}"));
            stdout.WriteLine($"wrote {options.OutputPath}");
            return ExitCodes.Success;
        }
        catch (CompressionException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                stderr.WriteLine(diagnostic.ToString());
            }

            return ex.ExitCode;
        }
#pragma warning disable CA1031 // The entry point turns every failure into an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine(Diagnostic.Error(DiagnosticCodes.InternalError, SourceLocation.None, $"internal error: {ex.GetType().Name}: {ex.Message}").ToString());
            if (Environment.GetEnvironmentVariable("COMPRESS_DEBUG") is { Length: > 0 })
            {
                stderr.WriteLine(ex.ToString());
            }

            return ExitCodes.InternalError;
        }
    }

    private static DeploymentDescriptor ReadDeployment(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, RunnerJsonContext.Default.DeploymentDescriptor)
                ?? throw new CompressionException(DiagnosticCodes.DeployInputMissing, SourceLocation.InFile(path), "deployment.json is empty");
        }
        catch (JsonException ex)
        {
            throw new CompressionException(DiagnosticCodes.DeployInputMissing, new SourceLocation(path, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1),
                $"not a valid deployment.json: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(DiagnosticCodes.DeployInputMissing, SourceLocation.InFile(path), $"cannot read deployment.json: {ex.Message}", ex);
        }
    }
}
