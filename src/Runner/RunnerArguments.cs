using System.Globalization;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Runner;

/// <summary>Parses <c>--name value</c> pairs into <see cref="RunnerOptions"/>; a wrong command line is CMP6009.</summary>
public static class RunnerArguments
{
    public const string Usage = """
        Usage: CompressionTasks.Runner --model FILE --out FILE (--ort-library FILE | --ep tensorrt --engine FILE) [options]
          --model FILE            the ONNX model to measure (on the GPU path: the model the engine was built from)
          --ort-library FILE      libonnxruntime.so to load for the CPU path (ONNX Runtime 1.10 or newer, e.g. JetPack's)
          --out FILE              where to write the report fragment (JSON)
          --ep tensorrt --engine FILE   time the TensorRT engine build-engine.sh wrote, with trtexec (no ONNX Runtime)
          --trtexec FILE          trtexec to run (default: on PATH, else /usr/src/tensorrt/bin/trtexec)
          --warmup-ms N           trtexec warm-up before the timed run (default 500)
          --settle-seconds S      seconds discarded before each power window (default 2)
          --deployment FILE       the bundle's deployment.json: names, stopping rule, energy settings, input shapes
          --target NAME --model-name NAME --variant NAME   names, when there is no deployment.json
          --ep cpu|cuda|tensorrt  execution provider (default cpu)
          --sysfs DIR             where sysfs is mounted (default /sys)
          --energy auto|jetson-ina3221|none   energy sensor;  --rails A,B  INA3221 rails to sum (default VDD_IN)
          --idle-seconds S --active-seconds S   energy sampling windows (defaults 5 and 10, sampled at 20 Hz)
          --warmup N --min-runs N --max-runs N --time-budget S --max-half-width F   the latency stopping rule
          --threads N             intra-op threads (default: all cores)
          --power-mode TEXT       the nvpmodel mode, recorded in the fragment
        """;

    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!Known.Contains(name))
            {
                throw UsageError($"unknown option '{name}'");
            }

            if (i + 1 >= args.Count)
            {
                throw UsageError($"{name} needs a value");
            }

            values[name] = args[++i];
        }

        return new RunnerOptions
        {
            ModelPath = Required(values, "--model"),
            OnnxRuntimeLibrary = values.GetValueOrDefault("--ort-library") is { Length: > 0 } library ? library
                : values.GetValueOrDefault("--ep") == "tensorrt" ? null : throw UsageError("--ort-library is required (or --ep tensorrt with --engine)"),
            EnginePath = values.GetValueOrDefault("--engine"),
            TrtexecPath = values.GetValueOrDefault("--trtexec"),
            SettleSeconds = Number(values, "--settle-seconds"),
            WarmupMs = Integer(values, "--warmup-ms"),
            OutputPath = Required(values, "--out"),
            DeploymentPath = values.GetValueOrDefault("--deployment"),
            Target = values.GetValueOrDefault("--target"),
            ModelName = values.GetValueOrDefault("--model-name"),
            Variant = values.GetValueOrDefault("--variant"),
            ExecutionProvider = values.GetValueOrDefault("--ep", "cpu"),
            SysfsRoot = values.GetValueOrDefault("--sysfs", "/sys"),
            EnergySensor = values.GetValueOrDefault("--energy"),
            EnergyRails = values.TryGetValue("--rails", out var rails) ? rails.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
            IdleSeconds = Number(values, "--idle-seconds"),
            ActiveSeconds = Number(values, "--active-seconds"),
            WarmupRuns = Integer(values, "--warmup"),
            MinRuns = Integer(values, "--min-runs"),
            MaxRuns = Integer(values, "--max-runs"),
            TimeBudgetSeconds = Number(values, "--time-budget"),
            MaxRelativeHalfWidth = Number(values, "--max-half-width"),
            IntraOpThreads = Integer(values, "--threads"),
            PowerMode = values.GetValueOrDefault("--power-mode"),
        };
    }

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "--model", "--ort-library", "--out", "--deployment", "--target", "--model-name", "--variant", "--ep", "--sysfs",
        "--energy", "--rails", "--idle-seconds", "--active-seconds", "--warmup", "--min-runs", "--max-runs",
        "--time-budget", "--max-half-width", "--threads", "--power-mode", "--engine", "--trtexec", "--settle-seconds", "--warmup-ms",
    };

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw UsageError($"{name} is required");

    private static double? Number(Dictionary<string, string> values, string name) =>
        !values.TryGetValue(name, out var text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw UsageError($"{name} needs a number, got '{text}'");

    private static int? Integer(Dictionary<string, string> values, string name) =>
        !values.TryGetValue(name, out var text) ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw UsageError($"{name} needs a whole number, got '{text}'");

    private static CompressionException UsageError(string message) =>
        new(DiagnosticCodes.RunnerUsageError, SourceLocation.None, message + ". Run with --help for usage.");
}
