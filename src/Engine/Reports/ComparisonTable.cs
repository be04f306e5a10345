using System.Globalization;
using System.Text;

namespace CompressionTasks.Reports;

/// <summary>A <see cref="ReportComparison"/> as an aligned plain-text table for a terminal or a CI log.</summary>
public static class ComparisonTable
{
    private static readonly string[] Header = ["model", "variant", "size", "latency (ms)", "top-1 (%)", "gates"];

    public static string Render(ReportComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        // The speed-up column (ratios to each run's own baseline, comparable across machines) appears once either report has one.
        var speedups = comparison.Variants.Any(v => v.SpeedupBefore is not null || v.SpeedupAfter is not null);
        string[] header = speedups ? [.. Header[..4], "speed-up (CI)", .. Header[4..]] : Header;
        var rows = new List<string[]> { header };
        foreach (var v in comparison.Variants)
        {
            string[] row =
            [
                v.Model,
                v.Variant,
                Change(v.SizeBytes, b => ReportUnits.Bytes((long)b), relative: true),
                Change(v.LatencyMs, ReportUnits.Ms, relative: true),
                Change(v.Top1, t => ReportUnits.Fixed(t, 2), relative: false),
                GateSummary(v.Gates),
            ];
            rows.Add(speedups ? [.. row[..4], SpeedupChange(v.SpeedupBefore, v.SpeedupAfter), .. row[4..]] : row);
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        text.Append('\n');
        foreach (var v in comparison.Variants)
        {
            foreach (var gate in v.Gates)
            {
                var mark = gate.Outcome() switch { GateOutcome.Passed => "pass", GateOutcome.Failed => "FAIL", _ => "skip" };
                var values = gate.Outcome() == GateOutcome.Skipped
                    ? string.Empty
                    : $" {ReportUnits.GateValue(gate.Observed)} (limit {ReportUnits.GateValue(gate.Threshold)})";
                text.Append(CultureInfo.InvariantCulture, $"{mark}  {v.Model}/{v.Variant} {gate.Name}{values}");
                var detail = gate.Outcome() == GateOutcome.Skipped ? gate.Detail![GateOutcomes.SkippedPrefix.Length..] : gate.Detail;
                text.Append(detail is { Length: > 0 } ? $": {detail}\n" : "\n");
            }
        }

        if (comparison.Removed.Count > 0)
        {
            text.Append("\nIn the baseline only (not compared): ").Append(string.Join(", ", comparison.Removed)).Append('\n');
        }

        var failed = comparison.Variants.Sum(v => v.Gates.Count(g => g.Outcome() == GateOutcome.Failed));
        text.Append(failed == 0
            ? "\nNo regression.\n"
            : string.Create(CultureInfo.InvariantCulture, $"\n{failed} regression gate(s) failed.\n"));
        return text.ToString();
    }

    private static string Change(MetricChange change, Func<double, string> format, bool relative)
    {
        var before = change.Baseline is { } b ? format(b) : ReportUnits.Missing;
        var after = change.Current is { } c ? format(c) : ReportUnits.Missing;
        var delta = relative
            ? change.RelativePercent is { } p ? $" ({ReportUnits.Signed(p, 1)}%)" : string.Empty
            : change.Delta is { } d ? $" ({ReportUnits.Signed(d, 2)} pp)" : string.Empty;
        return $"{before} → {after}{delta}";
    }

    private static string GateSummary(IReadOnlyList<GateReport> gates)
    {
        if (gates.Count == 0)
        {
            return ReportUnits.Missing;
        }

        var failed = gates.Count(g => g.Outcome() == GateOutcome.Failed);
        var skipped = gates.Count(g => g.Outcome() == GateOutcome.Skipped);
        return failed > 0 ? string.Create(CultureInfo.InvariantCulture, $"{failed} failed")
            : skipped == gates.Count ? "skipped"
            : "passed";
    }

    /// <summary>"1.80× (1.75–1.85) → 1.62× (1.58–1.66)"; "—" for a side without a speed-up.</summary>
    internal static string SpeedupChange(SpeedupReport? before, SpeedupReport? after)
    {
        if (before is null && after is null)
        {
            return ReportUnits.Missing;
        }

        return $"{(before is null ? ReportUnits.Missing : SummaryTable.SpeedupInterval(before))} → {(after is null ? ReportUnits.Missing : SummaryTable.SpeedupInterval(after))}";
    }
}
