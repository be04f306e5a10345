using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Deployment;

/// <summary>
/// Adds the runner's fragments to the host's report: each fragment becomes the <c>device</c> section of the variant it
/// names. Statistics are recomputed from the raw samples, not copied, so a hand-edited fragment cannot disagree with
/// itself. A fragment for a variant the report lacks, or two fragments for one variant, is CMP6005.
/// </summary>
public static class DeviceReportMerger
{
    public static CompressionReport Merge(CompressionReport host, IEnumerable<DeviceReportFragment> fragments)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(fragments);
        var byVariant = new Dictionary<(string Model, string Variant), DeviceReportFragment>();
        foreach (var fragment in fragments)
        {
            var key = (fragment.Model, fragment.Variant);
            var model = host.Models.FirstOrDefault(m => m.Name == fragment.Model);
            if (model is null || model.Variants.All(v => v.Name != fragment.Variant))
            {
                throw Invalid(fragment, $"the fragment is for {fragment.Model}/{fragment.Variant}, which the report does not have (report: {string.Join(", ", host.Models.SelectMany(m => m.Variants.Select(v => $"{m.Name}/{v.Name}")))})");
            }

            if (!byVariant.TryAdd(key, fragment))
            {
                throw Invalid(fragment, $"two fragments are for {fragment.Model}/{fragment.Variant}; merge one per variant");
            }

            if (fragment.Latency.Samples.Count == 0)
            {
                throw Invalid(fragment, "the fragment has no latency samples");
            }
        }

        return host with
        {
            Models = host.Models.Select(m => m with
            {
                Variants = m.Variants.Select(v => byVariant.TryGetValue((m.Name, v.Name), out var f) ? v with { Device = ToReport(f, v) } : v).ToArray(),
            }).ToArray(),
        };
    }

    private static DeviceMeasurementReport ToReport(DeviceReportFragment f, VariantReport hostVariant)
    {
        var statistics = Measurement.LatencyStatistics.FromSamples(f.Latency.Samples, f.Latency.Confidence);
        var latency = new LatencyReport(Round(statistics.MeanMs), Round(statistics.MedianMs), Round(statistics.P90Ms), Round(statistics.P99Ms),
            Round(statistics.CiHalfWidthMs), statistics.Runs, f.ExecutionProvider)
        {
            Confidence = statistics.Confidence,
            MaxRelativeHalfWidth = f.Latency.MaxRelativeHalfWidth,
            StopReason = f.Latency.StopReason,
            IntraOpThreads = f.Latency.IntraOpThreads,
            LoadMs = Round(f.Latency.LoadMs + f.Latency.SessionCreateMs),
            Samples = f.Latency.Samples,
        };
        var energy = f.Energy.JoulesPerInference is { } joules
            ? new EnergyReport { JoulesPerInference = joules, Sensor = f.Energy.Sensor }
            : new EnergyReport { Unavailable = f.Energy.Unavailable ?? "no reading", Sensor = f.Energy.Sensor };
        return new DeviceMeasurementReport
        {
            Target = f.Target,
            HostName = f.Device.HostName,
            Board = f.Device.Board,
            Os = f.Device.Os,
            PowerMode = f.Device.PowerMode,
            OnnxRuntimeVersion = f.Runner.OnnxRuntimeVersion,
            OnnxRuntimeProviders = f.Runner.OnnxRuntimeProviders,
            Runtime = f.Runtime,
            TensorRtVersion = f.TensorRt?.Version,
            EnginePrecision = f.TensorRt?.Precision,
            Clocks = f.Device.Clocks,
            Power = f.Energy.Samples > 0
                ? new DevicePowerReport
                {
                    IdleWatts = Round(f.Energy.IdleWatts),
                    ActiveWatts = Round(f.Energy.ActiveWatts),
                    SampleHz = f.Energy.SampleHz,
                    IdleSeconds = f.Energy.IdleSeconds,
                    ActiveSeconds = f.Energy.ActiveSeconds,
                    SettleSeconds = f.Energy.SettleSeconds,
                    Samples = f.Energy.Samples,
                    Inferences = f.Energy.Inferences,
                    Rails = f.Energy.Rails,
                }
                : null,
            Layers = f.Layers?.Select(l => new DeviceLayerTime(l.Name, l.Ms, l.Share)).ToArray(),
            ModelSha256 = f.ModelSha256,
            LatencyMs = latency,
            Energy = energy,
            SpeedupVsHost = hostVariant.LatencyMs is { Mean: > 0 } hostLatency && statistics.MeanMs > 0 ? Round(hostLatency.Mean / statistics.MeanMs) : null,
            StartedUtc = f.StartedUtc,
        };
    }

    private static CompressionException Invalid(DeviceReportFragment fragment, string message) =>
        new(DiagnosticCodes.DeviceFragmentInvalid, new SourceLocation(null, Element: $"{fragment.Model}/{fragment.Variant}"), message);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : value;
}
