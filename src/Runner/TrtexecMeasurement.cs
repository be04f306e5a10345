using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Deployment.TensorRt;
using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.IO;
using CompressionTasks.Measurement;

namespace CompressionTasks.Runner;

/// <summary>
/// The GPU path, which needs no ONNX Runtime: times the TensorRT engine that build-engine.sh built, with the board's own
/// trtexec, while the INA3221 rails are sampled. In order: the clocks are recorded; after the settle time the idle
/// power is sampled with nothing running; trtexec runs the engine (warm-up, then the timed run of settle + active
/// seconds, then a separate profiling run that the power window does not include). The trace that
/// <c>--exportTimes</c> writes gives the latency samples, and its timestamps (ms from the inference loop's start, which
/// trtexec announces with "Starting inference") place the power window on the timed inferences after the settle time.
/// Energy per inference = (active W − idle W) × window seconds / inferences in the window.
/// </summary>
public static partial class TrtexecMeasurement
{
    /// <summary>Where JetPack installs trtexec (it is not on PATH by default).</summary>
    public const string JetPackTrtexec = "/usr/src/tensorrt/bin/trtexec";

    public const int DefaultWarmupMs = 500;

    public const string TimesFileName = "trt-times.json";

    public const string ProfileFileName = "trt-profile.json";

    public const string LogFileName = "trtexec.log";

    /// <summary>
    /// trtexec's command line for a timed run: every flag exists in TensorRT 8.0.1 and 8.2.1 (<see cref="TrtexecFlags"/>).
    /// <c>--warmUp</c> is in ms and <c>--duration</c> in whole seconds (both integers in 8.0); <c>--separateProfileRun</c>
    /// keeps the per-layer profiler out of the timed run.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string enginePath, string? shapes, int warmupMs, int durationSeconds, string timesPath, string profilePath)
    {
        var args = new List<string> { $"--loadEngine={enginePath}" };
        if (shapes is not null)
        {
            args.Add($"--shapes={shapes}");
        }

        args.AddRange([
            $"--warmUp={warmupMs.ToString(CultureInfo.InvariantCulture)}",
            $"--duration={durationSeconds.ToString(CultureInfo.InvariantCulture)}",
            "--useSpinWait",
            $"--exportTimes={timesPath}",
            "--separateProfileRun",
            $"--exportProfile={profilePath}",
        ]);
        return args;
    }

    public static DeviceReportFragment Measure(RunnerOptions options, DeploymentDescriptor? deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var measure = deployment?.Measure ?? new DeviceMeasureSettings();
        var trtexec = ResolveTrtexec(options.TrtexecPath);
        var engine = Path.GetFullPath(options.EnginePath ?? throw new CompressionException(DiagnosticCodes.RunnerUsageError, SourceLocation.None,
            "--ep tensorrt needs --engine FILE: the engine build-engine.sh wrote on this board"));
        if (!File.Exists(engine))
        {
            throw new CompressionException(DiagnosticCodes.TrtexecFailed, SourceLocation.InFile(engine), "no engine here: run build-engine.sh on this board first (engines are specific to the GPU and TensorRT version)");
        }

        var sampleHz = measure.EnergySampleHz;
        var idleSeconds = options.IdleSeconds ?? measure.EnergyIdleSeconds;
        var activeSeconds = options.ActiveSeconds ?? measure.EnergyActiveSeconds;
        var settleSeconds = options.SettleSeconds ?? measure.EnergySettleSeconds;
        var warmupMs = options.WarmupMs ?? DefaultWarmupMs;
        var durationSeconds = (int)Math.Ceiling(settleSeconds + activeSeconds);
        var results = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;
        Directory.CreateDirectory(results);
        var timesPath = Path.Combine(results, TimesFileName);
        var profilePath = Path.Combine(results, ProfileFileName);
        File.Delete(timesPath);
        File.Delete(profilePath);

        var started = DateTimeOffset.UtcNow;
        var clocks = DeviceClocks.Capture(options.SysfsRoot);
        var sensorName = EnergySensorNames.Parse(options.EnergySensor ?? measure.EnergySensor);
        string? unavailable = null;
        using var rails = sensorName switch
        {
            EnergySensorKind.None => null,
            EnergySensorKind.Auto or EnergySensorKind.JetsonIna3221 => RailSamplers.TryOpen(options.SysfsRoot, options.EnergyRails ?? measure.EnergyRails, sampleHz, out unavailable),
            _ => null,
        };
        unavailable = rails is not null ? null
            : sensorName == EnergySensorKind.None ? "energy measurement is off (sensor: none)"
            : sensorName is EnergySensorKind.Auto or EnergySensorKind.JetsonIna3221 ? $"jetson-ina3221: {unavailable}"
            : $"{sensorName.ToManifestName()} cannot be read on the trtexec path; use jetson-ina3221 or auto";

        (IReadOnlyList<PowerSample> Primary, IReadOnlyList<(string Name, IReadOnlyList<PowerSample> Samples)> Rails)? idle = null;
        if (rails is not null)
        {
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(settleSeconds));
            rails.Start();
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(idleSeconds));
            idle = rails.Stop();
            cancellationToken.ThrowIfCancellationRequested();
        }

        var shapes = deployment is null ? null : TrtexecShapes.For(deployment);
        rails?.Start();
        var run = Run(trtexec, Arguments(engine, shapes, warmupMs, durationSeconds, timesPath, profilePath), Path.Combine(results, LogFileName), cancellationToken);
        var active = rails?.Stop();
        if (run.ExitCode != 0)
        {
            throw new CompressionException(DiagnosticCodes.TrtexecFailed, SourceLocation.InFile(trtexec),
                $"trtexec exited with {run.ExitCode}: {string.Join(" | ", run.Lines.TakeLast(5))} (full log: {Path.Combine(results, LogFileName)})");
        }

        var trace = TrtexecTrace.Read(timesPath);
        var timed = trace.After(warmupMs);
        if (timed.Count == 0)
        {
            throw TrtexecTrace.Invalid(SourceLocation.InFile(timesPath), $"no inference after the {warmupMs} ms warm-up");
        }

        var layers = TrtexecProfile.Read(profilePath);
        var inferenceStart = run.InferenceStartTimestamp ?? (run.ExitTimestamp - MsToTicks(timed[^1].EndD2hMs));
        var window = timed.Where(i => i.StartH2dMs >= warmupMs + (settleSeconds * 1000)).ToArray();
        if (window.Length < 2)
        {
            window = timed.ToArray();
        }

        var windowStart = inferenceStart + MsToTicks(window[0].StartH2dMs);
        var windowEnd = inferenceStart + MsToTicks(window[^1].EndD2hMs);
        var windowSeconds = (window[^1].EndD2hMs - window[0].StartH2dMs) / 1000;
        // The readings inside the timed window; when the sampler thread got fewer than two there (a starved CPU), the
        // readings from the start of inference to the one taken as trtexec exited, rather than no energy at all.
        IReadOnlyList<PowerSample> InWindow(IReadOnlyList<PowerSample> samples)
        {
            var inWindow = samples.Where(s => s.Timestamp >= windowStart && s.Timestamp <= windowEnd).ToArray();
            return inWindow.Length >= 2 ? inWindow : samples.Where(s => s.Timestamp >= inferenceStart).ToArray();
        }
        var energy = idle is { } i && active is { } a
            ? EnergyMeter.FromTraces(rails!.Name, i.Primary, InWindow(a.Primary), windowSeconds, window.Length, Stopwatch.Frequency)
            : EnergyResult.NotAvailable(unavailable ?? "no energy sensor");
        var railPowers = idle is { } idleRails && active is { } activeRails
            ? idleRails.Rails.Zip(activeRails.Rails, (x, y) => new FragmentRail(x.Name, Watts(x.Samples), Watts(InWindow(y.Samples)))).ToArray()
            : null;

        var latency = timed.Select(t => t.LatencyMs).ToArray();
        var statistics = LatencyStatistics.FromSamples(latency, measure.Confidence);
        var maxRelative = options.MaxRelativeHalfWidth ?? measure.MaxRelativeHalfWidth;
        var converged = statistics.Runs >= (options.MinRuns ?? measure.MinRuns) && statistics.RelativeHalfWidth <= maxRelative;
        var timedSeconds = (timed[^1].EndD2hMs - timed[0].StartH2dMs) / 1000;
        return new DeviceReportFragment
        {
            Target = options.Target ?? deployment?.Target.Name ?? "unknown",
            Model = options.ModelName ?? deployment?.Model ?? Path.GetFileNameWithoutExtension(options.ModelPath),
            Variant = options.Variant ?? deployment?.Variant ?? "baseline",
            ModelSha256 = DeviceMeasurement.Sha256(options.ModelPath),
            Device = DeviceProbe.Describe(options.PowerMode ?? DeviceClocks.PowerMode(clocks)) with { Clocks = clocks },
            Runner = new RunnerDescription(DeviceMeasurement.RunnerVersion(), System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, null, null),
            ExecutionProvider = ExecutionProviderKind.TensorRt.ToManifestName(),
            Runtime = RuntimeNames.Trtexec,
            TensorRt = new FragmentTensorRt
            {
                Version = TensorRtVersion(run.Lines),
                Precision = deployment?.EnginePrecision,
                Trtexec = trtexec,
                Engine = engine,
                WarmupMs = warmupMs,
                DurationSeconds = durationSeconds,
                ThroughputPerSecond = timedSeconds > 0 ? Math.Round(timed.Count / timedSeconds, 3) : 0,
            },
            Layers = layers,
            Latency = new FragmentLatency
            {
                Mean = statistics.MeanMs,
                Median = statistics.MedianMs,
                P90 = statistics.P90Ms,
                P99 = statistics.P99Ms,
                Min = statistics.MinMs,
                Max = statistics.MaxMs,
                StdDev = statistics.StdDevMs,
                CiHalfWidth = statistics.CiHalfWidthMs,
                Confidence = statistics.Confidence,
                MaxRelativeHalfWidth = maxRelative,
                Runs = statistics.Runs,
                StopReason = (converged ? LatencyStopReason.Converged : LatencyStopReason.TimeBudget).ToReportName(),
                WarmupRuns = trace.Inferences.Count - timed.Count,
                LoadMs = 0,
                SessionCreateMs = 0,
                IntraOpThreads = 0,
                Samples = latency,
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
                SampleHz = rails is null ? null : sampleHz,
                IdleSeconds = rails is null ? null : idleSeconds,
                ActiveSeconds = rails is null ? null : Math.Round(windowSeconds, 6),
                SettleSeconds = rails is null ? null : settleSeconds,
                Rails = railPowers,
            },
            StartedUtc = started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The version from trtexec's "TensorRT version:" line: 8.2 prints <c>8.2.1</c>, 8.0 the library's number <c>8001</c>.</summary>
    public static string? TensorRtVersion(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            var match = VersionPattern().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var text = match.Groups[1].Value;
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1000
                ? $"{number / 1000}.{number % 1000 / 100}.{number % 100}"
                : text;
        }

        return null;
    }

    private static string ResolveTrtexec(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given)
                : throw new CompressionException(DiagnosticCodes.TrtexecFailed, SourceLocation.InFile(given), "no trtexec here; JetPack installs it in /usr/src/tensorrt/bin");
        }

        return DeviceClocks.FindOnPath("trtexec") ?? (File.Exists(JetPackTrtexec) ? JetPackTrtexec
            : throw new CompressionException(DiagnosticCodes.TrtexecFailed, SourceLocation.None, $"trtexec is neither on PATH nor at {JetPackTrtexec}; install TensorRT's samples (JetPack) or pass --trtexec"));
    }

    private sealed record TrtexecRun(int ExitCode, IReadOnlyList<string> Lines, long? InferenceStartTimestamp, long ExitTimestamp);

    private static TrtexecRun Run(string trtexec, IReadOnlyList<string> args, string logPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(trtexec) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var lines = new List<string>();
        long? inferenceStart = null;
        void OnLine(string? line, bool stdout)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                // trtexec logs this line right before the inference loop whose start is the trace's time zero.
                if (stdout && inferenceStart is null && line.Contains("Starting inference", StringComparison.Ordinal))
                {
                    inferenceStart = Stopwatch.GetTimestamp();
                }

                lines.Add(line);
            }
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CompressionException(DiagnosticCodes.TrtexecFailed, SourceLocation.InFile(trtexec), $"trtexec does not start: {ex.Message}", ex);
        }

        using (process)
        using (cancellationToken.Register(() => process.Kill(entireProcessTree: true)))
        {
            process.OutputDataReceived += (_, e) => OnLine(e.Data, stdout: true);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data, stdout: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            var exit = Stopwatch.GetTimestamp();
            cancellationToken.ThrowIfCancellationRequested();
            string[] all;
            lock (lines)
            {
                all = lines.ToArray();
            }

            AtomicFile.WriteAllText(logPath, string.Join('\n', all) + "\n");
            return new TrtexecRun(process.ExitCode, all, inferenceStart, exit);
        }
    }

    private static long MsToTicks(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    private static double Watts(IReadOnlyList<PowerSample> samples)
    {
        var watts = EnergyIntegrator.MeanWatts(samples, Stopwatch.Frequency);
        return double.IsNaN(watts) ? 0 : Math.Round(watts, 6);
    }

    [GeneratedRegex(@"TensorRT version:\s*([0-9][0-9.]*)")]
    private static partial Regex VersionPattern();
}
