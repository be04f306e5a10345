using System.Globalization;

namespace CompressionTasks.Reports;

/// <summary>
/// Each variant's paired speed-up over the baseline as a point with its confidence interval, against a line at 1×
/// (no difference): an interval clear of the line is a verdict, one across it is indistinguishable. With session
/// epochs, each epoch's ratio is a small hollow dot on the variant's row (the interval is over them), and the row's
/// label says how many.
/// </summary>
internal static class SpeedupIntervalChart
{
    private const double Width = 560;
    private const double Left = 118;
    private const double Right = 24;
    private const double Top = 8;
    private const double RowHeight = 30;
    private const double AxisHeight = 42;

    public static string? Render(string id, string modelName, IReadOnlyList<VariantSummary> rows)
    {
        var measured = rows.Where(r => r.Variant.Speedup is not null).Select(r => (r.Variant.Name, Speedup: r.Variant.Speedup!)).ToList();
        if (measured.Count == 0)
        {
            return null;
        }

        var lines = measured.Select(m => $"{m.Name}: {SummaryTable.SpeedupInterval(m.Speedup)}, {m.Speedup.Verdict}{EpochText(m.Speedup)}").ToList();
        var height = Top + measured.Count * RowHeight + AxisHeight;
        var svg = new SvgCanvas(id, Width, height, $"{modelName}: speed-up over the baseline with confidence interval", string.Join("; ", lines));
        var low = Math.Min(1, measured.Min(m => Math.Min(m.Speedup.Low, Epochs(m.Speedup).DefaultIfEmpty(m.Speedup.Low).Min())));
        var high = Math.Max(1, measured.Max(m => Math.Max(m.Speedup.High, Epochs(m.Speedup).DefaultIfEmpty(m.Speedup.High).Max())));
        var scale = AxisScale.Create(low, high, Left, Width - Right, 6);
        var bottom = Top + measured.Count * RowHeight;
        var withEpochs = measured.Any(m => Epochs(m.Speedup).Count > 0);
        svg.HorizontalAxis(scale, bottom, Top, withEpochs
            ? "speed-up (baseline / variant latency): point = estimate, bar = interval, dots = session epochs"
            : "speed-up (baseline / variant latency): point = estimate, bar = interval");
        svg.Line(scale.ToPixel(1), Top, scale.ToPixel(1), bottom, ChartPalette.Axis, 1, " stroke-dasharray=\"4 3\" class=\"no-difference\"");
        for (var i = 0; i < measured.Count; i++)
        {
            var (name, speedup) = measured[i];
            var colour = ChartPalette.Colour(rows.ToList().FindIndex(r => r.Variant.Name == name));
            var mid = Top + (i * RowHeight) + (RowHeight / 2);
            var x0 = scale.ToPixel(speedup.Low);
            var x1 = scale.ToPixel(speedup.High);
            svg.OpenGroup(lines[i]);
            var epochs = Epochs(speedup);
            svg.Label(Left - 6, epochs.Count > 0 ? mid : mid + 4, name, 17);
            if (epochs.Count > 0)
            {
                svg.Text(Left - 6, mid + 11, string.Create(CultureInfo.InvariantCulture, $"{epochs.Count} epochs"), "end", " class=\"tick\"");
            }

            svg.Line(x0, mid, x1, mid, colour, 2, " class=\"interval\"")
                .Line(x0, mid - 5, x0, mid + 5, colour, 2)
                .Line(x1, mid - 5, x1, mid + 5, colour, 2);
            for (var e = 0; e < epochs.Count; e++)
            {
                // Below the bar, so that the interval and its estimate stay readable where epochs crowd together.
                svg.Circle(scale.ToPixel(epochs[e]), mid + 8, 2.5, "none", colour,
                    string.Create(CultureInfo.InvariantCulture, $"{name}, epoch {e + 1}: {ReportUnits.Ratio(epochs[e])}"), " class=\"epoch\"");
            }

            svg.Circle(scale.ToPixel(speedup.Estimate), mid, 4, colour, ChartPalette.Axis, lines[i]);
            svg.CloseGroup();
        }

        return svg.ToString();
    }

    /// <summary>Each epoch's ratio when the interval is over two or more session epochs; else none.</summary>
    private static IReadOnlyList<double> Epochs(SpeedupReport speedup) =>
        speedup.EpochEstimates is { Count: > 1 } estimates ? estimates : [];

    private static string EpochText(SpeedupReport speedup) => SummaryTable.EpochSpread(speedup) is { } spread
        ? string.Create(CultureInfo.InvariantCulture, $", over {speedup.EpochEstimates!.Count} session epochs (epoch ratios {spread})")
        : string.Empty;
}
