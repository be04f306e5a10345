using CompressionTasks.Manifest;
using CompressionTasks.Measurement;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// Measures every variant of one model, alone and one after another (no other work competes for the CPU while latency
/// is sampled), then sets each variant's ratios against the baseline.
/// </summary>
internal sealed class MeasureStage(RunContext run)
{
    public IReadOnlyList<VariantReport> Measure(BuiltModel built, CancellationToken cancellationToken)
    {
        var measured = new List<VariantReport>(built.Variants.Count);
        foreach (var variant in built.Variants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = variant.Report;
            if (run.Options.Measure)
            {
                built.Prepared.Steps.Start(RunStage.Measuring, report.Name);
                var measurement = Measure(built.Model, report.Name, variant.ModelPath, cancellationToken);
                report = report with
                {
                    LatencyMs = ReportMapping.Latency(measurement.Latency),
                    Energy = ReportMapping.Energy(measurement.Energy),
                    OpBreakdown = measurement.OperatorBreakdown is { } breakdown ? ReportMapping.Operators(breakdown) : null,
                };
            }

            measured.Add(report);
        }

        var baseline = measured[0];
        return [baseline, .. measured.Skip(1).Select(v => v with { VsBaseline = Ratios(baseline, v) })];
    }

    private MeasurementResult Measure(ModelEntry model, string variant, string modelPath, CancellationToken cancellationToken)
    {
        run.Report($"{model.Name}/{variant}: measuring latency");
        var manifest = run.Manifest;
        var measure = manifest.Measure;
        var settings = new MeasurementSettings(
            measure.Latency,
            new ExecutionSettings(run.Options.ExecutionProvider ?? measure.ExecutionProvider, run.IntraOpThreads, measure.InterOpThreads, measure.AllowCpuFallback, manifest.Target.NativeLibraryPath),
            measure.Energy,
            measure.OperatorBreakdown ? new OperatorBreakdownSettings() : null,
            new MeasurementInputs(model.InputShapes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal)));
        return ModelBenchmark.Measure(modelPath, settings, run.Progress, cancellationToken);
    }

    private static BaselineRatios Ratios(VariantReport baseline, VariantReport variant) => new()
    {
        Size = Ratio(variant.SizeBytes, baseline.SizeBytes),
        Latency = Ratio(variant.LatencyMs?.Mean, baseline.LatencyMs?.Mean),
        Speedup = Ratio(baseline.LatencyMs?.Mean, variant.LatencyMs?.Mean),
        Macs = Ratio(variant.Macs, baseline.Macs),
        Energy = Ratio(variant.Energy?.JoulesPerInference, baseline.Energy?.JoulesPerInference),
        Top1Delta = Delta(variant.Accuracy?.Top1, baseline.Accuracy?.Top1),
        Top5Delta = Delta(variant.Accuracy?.Top5, baseline.Accuracy?.Top5),
        F1Delta = Delta(variant.Accuracy?.F1, baseline.Accuracy?.F1),
    };

    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? Math.Round(n / d, 6) : null;

    private static double? Delta(double? value, double? reference) =>
        value is { } v && reference is { } r ? Math.Round(v - r, 6) : null;
}
