using CompressionTasks.Energy;

namespace CompressionTasks.Measurement;

/// <summary>
/// Measures one model the way `run` and `bench` report it: load and session creation (timed, excluded), latency by the
/// confidence-interval stopping rule on pre-bound inputs and outputs, the process's memory during that session,
/// energy per inference on the same session, then (optionally) an operator-type breakdown from a separate profiling
/// session, so profiling overhead never leaks into the latency figures.
/// </summary>
public static class ModelBenchmark
{
    /// <summary>The managed ORT API has no allocator statistics (the C API's AllocatorGetStats is not projected).</summary>
    public const string ArenaUnavailableReason = "ONNX Runtime's .NET API exposes no allocator statistics";

    public static MeasurementResult Measure(
        string modelPath,
        MeasurementSettings? settings = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        settings ??= new MeasurementSettings();
        var latencySettings = settings.LatencyOrDefault;
        latencySettings.Validate();
        settings.EnergyOrDefault.Validate();
        var execution = settings.ExecutionOrDefault;

        var initializerBytes = InitializerSizeReader.ReadInitializerBytes(modelPath);
        var peakWasReset = ProcessMemoryProbe.TryResetPeak();
        var baselineBytes = ProcessMemoryProbe.WorkingSetBytes();

        LatencyResult latency;
        MemoryFootprint memory;
        EnergyResult energy;
        using (var session = MeasurementSession.Open(modelPath, execution, settings.Inputs))
        {
            progress?.Report($"measuring latency of {modelPath} on {session.Provider.Actual.ToManifestName()}");
            var samples = new LatencySampler(latencySettings).Run(session.RunOnce, cancellationToken);
            latency = new LatencyResult(
                samples.Statistics,
                samples.SamplesMs,
                samples.StopReason,
                samples.WarmupRuns,
                session.LoadMs,
                session.SessionCreateMs,
                session.Provider,
                samples.MaxRelativeHalfWidth);
            // The kernel's peak (VmHWM) and current (VmRSS) counters are kept separately and can disagree by a few
            // pages; the peak over the measurement is by definition at least the working set at its start.
            memory = new MemoryFootprint(
                Math.Max(ProcessMemoryProbe.PeakWorkingSetBytes(), baselineBytes),
                baselineBytes,
                peakWasReset,
                initializerBytes,
                ArenaBytes: null,
                ArenaUnavailableReason);

            progress?.Report($"measuring energy of {modelPath}");
            energy = new EnergyMeter(settings.EnergyOrDefault).Measure(session.RunOnce, cancellationToken);
        }

        OperatorBreakdown? breakdown = null;
        if (settings.OperatorBreakdown is { } breakdownSettings)
        {
            progress?.Report($"profiling operators of {modelPath}");
            breakdown = OperatorProfiler.Profile(modelPath, execution, breakdownSettings, settings.Inputs, cancellationToken);
        }

        return new MeasurementResult(modelPath, latency, memory, energy, breakdown);
    }
}
