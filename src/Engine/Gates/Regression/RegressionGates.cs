using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates.Regression;

/// <summary>
/// Compares a report with a baseline report (a previous run, typically from the main branch) and decides, per model
/// and variant, whether latency, size, energy or accuracy regressed past their limits. A model or variant the
/// baseline lacks, or a value either side did not measure, gives a skipped gate: new work is not a regression.
/// </summary>
public static class RegressionGates
{
    public const string Latency = "latency-regression";
    public const string Size = "size-regression";
    public const string Energy = "energy-regression";
    public const string Top1 = "top1-regression";

    public static IReadOnlyList<VariantGates> Evaluate(CompressionReport baseline, CompressionReport current, RegressionGateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.Confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Confidence, "Confidence must lie strictly between 0 and 1.");
        }

        var results = new List<VariantGates>();
        foreach (var model in current.Models)
        {
            var baselineModel = baseline.Models.FirstOrDefault(m => m.Name == model.Name);
            foreach (var variant in model.Variants)
            {
                var baselineVariant = baselineModel?.Variants.FirstOrDefault(v => v.Name == variant.Name);
                var gates = baselineVariant is null
                    ? SkipAll(settings, baselineModel is null
                        ? $"the baseline report has no model '{model.Name}'"
                        : $"the baseline report has no variant '{model.Name}/{variant.Name}'")
                    : Gates(baselineVariant, variant, settings);
                results.Add(new VariantGates(model.Name, variant.Name, gates));
            }
        }

        return results;
    }

    private static List<GateReport> SkipAll(RegressionGateSettings settings, string reason)
    {
        var gates = new List<GateReport>();
        if (settings.MaxLatencyRegressionPercent is { } latency)
        {
            gates.Add(GateOutcomes.Skipped(Latency, latency, reason, DiagnosticCodes.LatencyRegression.Id));
        }

        if (settings.MaxSizeRegressionPercent is { } size)
        {
            gates.Add(GateOutcomes.Skipped(Size, size, reason, DiagnosticCodes.SizeRegression.Id));
        }

        if (settings.MaxEnergyRegressionPercent is { } energy)
        {
            gates.Add(GateOutcomes.Skipped(Energy, energy, reason, DiagnosticCodes.EnergyRegression.Id));
        }

        if (settings.MaxTop1DropPoints is { } top1)
        {
            gates.Add(GateOutcomes.Skipped(Top1, top1, reason, DiagnosticCodes.AccuracyRegression.Id));
        }

        return gates;
    }

    private static List<GateReport> Gates(VariantReport baseline, VariantReport current, RegressionGateSettings settings)
    {
        var gates = new List<GateReport>();
        if (settings.MaxLatencyRegressionPercent is { } latency)
        {
            gates.Add(LatencyOrSpeedupGate(baseline, current, latency, settings.Confidence));
        }

        if (settings.MaxSizeRegressionPercent is { } size)
        {
            gates.Add(SizeGate(baseline.SizeBytes, current.SizeBytes, size));
        }

        if (settings.MaxEnergyRegressionPercent is { } energy)
        {
            gates.Add(EnergyGate(baseline.Energy, current.Energy, energy));
        }

        if (settings.MaxTop1DropPoints is { } top1)
        {
            gates.Add(Top1Gate(baseline.Accuracy, current.Accuracy, top1));
        }

        return gates;
    }

    /// <summary>
    /// A variant that has a paired speed-up in both reports is judged on that ratio (variant / baseline of the same
    /// run), which holds across machines; the baseline variant, and reports without speed-ups, on absolute latency.
    /// </summary>
    internal static GateReport LatencyOrSpeedupGate(VariantReport saved, VariantReport current, double maxPercent, double confidence) =>
        saved.Speedup is { } before && current.Speedup is { } after
            ? SpeedupGate(before, after, maxPercent)
            : LatencyGate(saved.LatencyMs, current.LatencyMs, maxPercent, confidence);

    /// <summary>
    /// The variant's speed-up over its own run's baseline fell by more than <paramref name="maxPercent"/> relative to
    /// the saved one: fails only when the current interval's upper end is below the allowed floor (saved estimate /
    /// (1 + max/100)), i.e. the regression is beyond the limit with the interval's confidence.
    /// </summary>
    internal static GateReport SpeedupGate(SpeedupReport saved, SpeedupReport current, double maxPercent)
    {
        var code = DiagnosticCodes.LatencyRegression.Id;
        if (!(saved.Estimate > 0) || !(current.Estimate > 0) || !double.IsFinite(saved.Estimate) || !double.IsFinite(current.Estimate))
        {
            return GateOutcomes.Skipped(Latency, maxPercent, "a speed-up is not a positive finite number", code);
        }

        var observed = (saved.Estimate / current.Estimate - 1) * 100;
        var floor = saved.Estimate / (1 + (maxPercent / 100));
        var failed = current.High < floor;
        var detail = $"speed-up over the run's baseline {ReportUnits.Ratio(saved.Estimate)} → {ReportUnits.Fixed(current.Estimate, 2)}× " +
            $"({ReportUnits.Fixed(current.Low, 2)}–{ReportUnits.Fixed(current.High, 2)}, {ReportUnits.Signed(observed, 2)}% slower relative to the baseline); ratio gate, machine-independent: " +
            (failed
                ? $"the whole interval lies below the allowed {ReportUnits.Fixed(floor, 2)}×"
                : observed > maxPercent ? "above the limit, but the interval reaches the allowed " + ReportUnits.Fixed(floor, 2) + "×" : "within the limit");
        return new GateReport(Latency, !failed, Math.Round(observed, 6), maxPercent) { Code = code, Detail = detail };
    }

    internal static GateReport LatencyGate(LatencyReport? baseline, LatencyReport? current, double maxPercent, double confidence)
    {
        var code = DiagnosticCodes.LatencyRegression.Id;
        if (baseline is null || current is null)
        {
            return GateOutcomes.Skipped(Latency, maxPercent, $"latency was not measured in the {(baseline is null ? "baseline" : "current")} report", code);
        }

        if (!string.Equals(baseline.ExecutionProvider, current.ExecutionProvider, StringComparison.OrdinalIgnoreCase))
        {
            return GateOutcomes.Skipped(Latency, maxPercent, $"execution providers differ ({baseline.ExecutionProvider} in the baseline, {current.ExecutionProvider} now): latencies are not comparable", code);
        }

        if (!(baseline.Mean > 0) || !double.IsFinite(baseline.Mean) || !double.IsFinite(current.Mean))
        {
            return GateOutcomes.Skipped(Latency, maxPercent, "a mean latency is not a positive finite number", code);
        }

        var observed = PercentChange(baseline.Mean, current.Mean);
        var means = $"mean {ReportUnits.Ms(baseline.Mean)} → {ReportUnits.Ms(current.Mean)} ms ({ReportUnits.Signed(observed, 2)}%)";
        var baselineSamples = baseline.Samples?.Where(double.IsFinite).ToList() ?? [];
        var currentSamples = current.Samples?.Where(double.IsFinite).ToList() ?? [];
        if (WelchTest.ExceedsAllowedRegression(baselineSamples, currentSamples, maxPercent / 100) is { } test)
        {
            var alpha = 1 - confidence;
            var significant = test.PValue < alpha;
            var detail = Invariant(
                $"one-sided Welch t-test at {confidence * 100:0.##}% confidence (H0: regression ≤ {ReportUnits.GateValue(maxPercent)}%) on {baselineSamples.Count} and {currentSamples.Count} samples: {means}, t = {test.T:0.###}, df = {test.DegreesOfFreedom:0.#}, {PValue(test.PValue)}; ")
                + (significant
                    ? $"the regression exceeds {ReportUnits.GateValue(maxPercent)}% with p < {ReportUnits.GateValue(alpha)}"
                    : observed > maxPercent
                        ? "above the limit, but within run-to-run noise"
                        : "within the limit");
            return new GateReport(Latency, !significant, observed, maxPercent) { Code = code, Detail = detail };
        }

        var passed = observed <= maxPercent;
        return new GateReport(Latency, passed, observed, maxPercent)
        {
            Code = code,
            Detail = $"point estimate, {(baselineSamples.Count < 2 || currentSamples.Count < 2 ? "raw samples not in both reports" : "the samples have no variance")}: {means}",
        };
    }

    internal static GateReport SizeGate(long baselineBytes, long currentBytes, double maxPercent)
    {
        var code = DiagnosticCodes.SizeRegression.Id;
        if (baselineBytes <= 0)
        {
            return GateOutcomes.Skipped(Size, maxPercent, "the baseline size is zero", code);
        }

        var observed = PercentChange(baselineBytes, currentBytes);
        return new GateReport(Size, observed <= maxPercent, observed, maxPercent)
        {
            Code = code,
            Detail = $"{ReportUnits.Bytes(baselineBytes)} → {ReportUnits.Bytes(currentBytes)} ({ReportUnits.Signed(observed, 2)}%)",
        };
    }

    internal static GateReport EnergyGate(EnergyReport? baseline, EnergyReport? current, double maxPercent)
    {
        var code = DiagnosticCodes.EnergyRegression.Id;
        if (baseline?.JoulesPerInference is not { } before || current?.JoulesPerInference is not { } after)
        {
            var (side, report) = baseline?.JoulesPerInference is null ? ("baseline", baseline) : ("current", current);
            var why = report?.Unavailable is { } reason ? $"energy unavailable in the {side} report: {reason}" : $"energy was not measured in the {side} report";
            return GateOutcomes.Skipped(Energy, maxPercent, why, code);
        }

        if (!(before > 0) || !double.IsFinite(before) || !double.IsFinite(after))
        {
            return GateOutcomes.Skipped(Energy, maxPercent, "an energy value is not a positive finite number", code);
        }

        var observed = PercentChange(before, after);
        return new GateReport(Energy, observed <= maxPercent, observed, maxPercent)
        {
            Code = code,
            Detail = $"{ReportUnits.Joules(before)} → {ReportUnits.Joules(after)} per inference ({ReportUnits.Signed(observed, 2)}%)",
        };
    }

    internal static GateReport Top1Gate(AccuracyReport? baseline, AccuracyReport? current, double maxDropPoints)
    {
        var code = DiagnosticCodes.AccuracyRegression.Id;
        if (baseline is null || current is null)
        {
            return GateOutcomes.Skipped(Top1, maxDropPoints, $"accuracy was not measured in the {(baseline is null ? "baseline" : "current")} report", code);
        }

        if (!double.IsFinite(baseline.Top1) || !double.IsFinite(current.Top1))
        {
            return GateOutcomes.Skipped(Top1, maxDropPoints, "a top-1 accuracy is not a finite number", code);
        }

        var drop = baseline.Top1 - current.Top1;
        return new GateReport(Top1, drop <= maxDropPoints, drop, maxDropPoints)
        {
            Code = code,
            Detail = $"top-1 {ReportUnits.Fixed(baseline.Top1, 2)}% → {ReportUnits.Fixed(current.Top1, 2)}% (drop {ReportUnits.Fixed(drop, 2)} pp)",
        };
    }

    private static string PValue(double p) => p < 1e-4 ? "p < 0.0001" : Invariant($"p = {p:0.####}");

    private static double PercentChange(double before, double after) => (after - before) / before * 100;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
