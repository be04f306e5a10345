using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Measurement;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// Measures the variants of one model against each other: all their sessions open up front and latency sampled in
/// interleaved, shuffled blocks (<see cref="ModelBenchmark"/>), while no other work competes for the CPU; then sets
/// each variant's ratios against the baseline and its paired speed-up interval.
/// </summary>
internal sealed class MeasureStage(RunContext run)
{
    public IReadOnlyList<VariantReport> Measure(BuiltModel built, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var measured = built.Variants.Select(v => v.Report).ToList();
        IReadOnlyList<SpeedupReport?> speedups = [.. measured.Select(_ => (SpeedupReport?)null)];
        if (run.Options.Measure)
        {
            var measurement = MeasureInterleaved(built, cancellationToken);
            var target = run.Manifest.Measure.Latency.MaxRelativeHalfWidth;
            speedups = [.. measurement.Speedups.Select(r => ReportMapping.Speedup(r, target, measurement.BlockRuns))];
            var contention = ReportMapping.Contention(measurement.Load, measurement.Clock);
            var warning = measurement.Load.Reason is { } reason
                ? $"{DiagnosticCodes.MeasurementContended.Id}: latency measured on a contended machine ({reason}); absolute latencies include waiting for a CPU, the paired speed-ups remain comparable"
                : null;
            if (warning is not null)
            {
                run.Report($"{built.Model.Name}: {warning}");
            }

            // The speed-up intervals lose the session effect: said on every variant that has one.
            var epochWarning = measurement.EpochPlan.Warning;
            if (epochWarning is not null)
            {
                run.Report($"{built.Model.Name}: {epochWarning}");
            }

            var sessionEpochs = ReportMapping.SessionEpochs(measurement.EpochPlan);

            for (var i = 0; i < measured.Count; i++)
            {
                var result = measurement.Variants[i];
                measured[i] = measured[i] with
                {
                    LatencyMs = ReportMapping.Latency(result.Latency) with { Contention = contention, Sessions = measurement.Epochs, SessionEpochs = sessionEpochs },
                    Warnings = Append(Append(measured[i].Warnings, warning), i > 0 ? epochWarning : null),
                    Energy = ReportMapping.Energy(result.Energy),
                    OpBreakdown = result.OperatorBreakdown is { } breakdown ? ReportMapping.Operators(breakdown) : null,
                };
            }
        }

        var baseline = measured[0];
        return [baseline, .. measured.Skip(1).Select((v, i) => v with { VsBaseline = Ratios(baseline, v), Speedup = speedups[i + 1] })];
    }

    private InterleavedMeasurement MeasureInterleaved(BuiltModel built, CancellationToken cancellationToken)
    {
        var model = built.Model;
        var names = built.Variants.Select(v => v.Report.Name).ToArray();
        run.Report(names.Length == 1
            ? $"{model.Name}/{names[0]}: measuring latency"
            : $"{model.Name}: measuring latency of {string.Join(", ", names)} interleaved");
        var manifest = run.Manifest;
        var measure = manifest.Measure;
        var settings = new MeasurementSettings(
            measure.Latency,
            new ExecutionSettings(run.Options.ExecutionProvider ?? measure.ExecutionProvider, run.IntraOpThreads, measure.InterOpThreads, measure.AllowCpuFallback, manifest.Target.NativeLibraryPath),
            measure.Energy,
            measure.OperatorBreakdown ? new OperatorBreakdownSettings() : null,
            new MeasurementInputs(model.InputShapes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal)));
        return ModelBenchmark.Measure(
            [.. built.Variants.Select(v => v.ModelPath)],
            settings,
            run.Progress,
            cancellationToken,
            onOpened: i => built.Prepared.Steps.Start(RunStage.Measuring, names[i]));
    }

    private static IReadOnlyList<string>? Append(IReadOnlyList<string>? warnings, string? warning) =>
        warning is null ? warnings : [.. warnings ?? [], warning];

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
