using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Measurement;
using CompressionTasks.Runner.OnnxRuntime;

namespace CompressionTasks.Runner;

/// <summary>
/// The CPU path: measures the model as the host's <c>run</c> does, through ONNX Runtime's C API bound at a low API
/// version (<see cref="OrtCApi"/>), so JetPack's own ONNX Runtime builds load: one session with its inputs made once,
/// warm-up, timed runs until the confidence-interval stopping rule says stop (the engine's <see cref="LatencySampler"/>),
/// then energy per inference on the same session from the board's power monitor (the engine's <see cref="EnergyMeter"/>).
/// </summary>
public static class DeviceMeasurement
{
    public static DeviceReportFragment Measure(RunnerOptions options, DeploymentDescriptor? deployment, OrtCApi api, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        if (ExecutionProviderNames.Parse(options.ExecutionProvider) != ExecutionProviderKind.Cpu)
        {
            throw new CompressionException(DiagnosticCodes.RunnerUsageError, SourceLocation.None,
                $"--ep {options.ExecutionProvider}: the ONNX Runtime path runs on the CPU; for the GPU use --ep tensorrt with the engine build-engine.sh wrote");
        }

        var measure = deployment?.Measure ?? new DeviceMeasureSettings();
        var latencySettings = new LatencySettings(
            Confidence: measure.Confidence,
            MaxRelativeHalfWidth: options.MaxRelativeHalfWidth ?? measure.MaxRelativeHalfWidth,
            WarmupRuns: options.WarmupRuns ?? measure.WarmupRuns,
            MinRuns: options.MinRuns ?? measure.MinRuns,
            MaxRuns: options.MaxRuns ?? measure.MaxRuns,
            TimeBudgetSeconds: options.TimeBudgetSeconds ?? measure.TimeBudgetSeconds);
        latencySettings.Validate();
        var energySettings = new EnergySettings(
            Sensor: EnergySensorNames.Parse(options.EnergySensor ?? measure.EnergySensor),
            IdleSeconds: options.IdleSeconds ?? measure.EnergyIdleSeconds,
            ActiveSeconds: options.ActiveSeconds ?? measure.EnergyActiveSeconds,
            SampleRateHz: measure.EnergySampleHz,
            SysfsRoot: options.SysfsRoot);
        energySettings.Validate();
        var rails = options.EnergyRails ?? measure.EnergyRails;
        var intraOpThreads = options.IntraOpThreads ?? measure.IntraOpThreads;
        var shapes = measure.InputShapes?.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

        var started = DateTimeOffset.UtcNow;
        var clocks = DeviceClocks.Capture(options.SysfsRoot);
        using var session = OrtCSession.Open(api, options.ModelPath, intraOpThreads, shapes);
        var samples = new LatencySampler(latencySettings).Run(session.RunOnce, cancellationToken);
        var energy = MeasureEnergy(energySettings, rails, session, cancellationToken);
        var s = samples.Statistics;
        return new DeviceReportFragment
        {
            Target = options.Target ?? deployment?.Target.Name ?? "unknown",
            Model = options.ModelName ?? deployment?.Model ?? Path.GetFileNameWithoutExtension(options.ModelPath),
            Variant = options.Variant ?? deployment?.Variant ?? "baseline",
            ModelSha256 = Sha256(options.ModelPath),
            Device = DeviceProbe.Describe(options.PowerMode ?? DeviceClocks.PowerMode(clocks)) with { Clocks = clocks },
            Runner = new RunnerDescription(RunnerVersion(), RuntimeInformation.FrameworkDescription, api.Version, api.LibraryPath)
            {
                OnnxRuntimeApiVersion = (int)api.ApiVersion,
                OnnxRuntimeProviders = api.AvailableProviders(),
            },
            ExecutionProvider = ExecutionProviderKind.Cpu.ToManifestName(),
            Runtime = RuntimeNames.OnnxRuntime,
            Latency = new FragmentLatency
            {
                Mean = s.MeanMs,
                Median = s.MedianMs,
                P90 = s.P90Ms,
                P99 = s.P99Ms,
                Min = s.MinMs,
                Max = s.MaxMs,
                StdDev = s.StdDevMs,
                CiHalfWidth = s.CiHalfWidthMs,
                Confidence = s.Confidence,
                MaxRelativeHalfWidth = samples.MaxRelativeHalfWidth,
                Runs = s.Runs,
                StopReason = samples.StopReason.ToReportName(),
                WarmupRuns = samples.WarmupRuns,
                LoadMs = 0,
                SessionCreateMs = session.SessionCreateMs,
                IntraOpThreads = intraOpThreads,
                Samples = samples.SamplesMs,
            },
            Energy = new FragmentEnergy
            {
                JoulesPerInference = energy.JoulesPerInference,
                Sensor = energy.Sensor,
                Unavailable = energy.Unavailable,
                IdleWatts = energy.IdleWatts,
                ActiveWatts = energy.ActiveWatts,
                Samples = energy.Samples,
                Inferences = energy.Inferences,
                SampleHz = energy.Samples > 0 ? energySettings.SampleRateHz : null,
                IdleSeconds = energy.Samples > 0 ? energySettings.IdleSeconds : null,
                ActiveSeconds = energy.Samples > 0 ? energySettings.ActiveSeconds : null,
            },
            StartedUtc = started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    private static EnergyResult MeasureEnergy(EnergySettings settings, IReadOnlyList<string> rails, OrtCSession session, CancellationToken cancellationToken)
    {
        var meter = new EnergyMeter(settings);
        if (rails.Count == 0 || settings.Sensor == EnergySensorKind.None)
        {
            return meter.Measure(session.RunOnce, cancellationToken);
        }

        // Named rails (e.g. VDD_SYS_GPU + VDD_SYS_CPU): the factory's default is the board input rail only.
        using var sensor = JetsonIna3221Sensor.TryCreate(settings.SysfsRoot, rails.ToArray(), out var reason);
        return sensor is null
            ? EnergyResult.NotAvailable($"jetson-ina3221: {reason}")
            : meter.Measure(sensor, session.RunOnce, cancellationToken);
    }

    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static string RunnerVersion()
    {
        var assembly = typeof(DeviceMeasurement).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? "0.0.0";
    }
}
