namespace CompressionTasks.Reports;

/// <summary>
/// Each variant's paired speed-up over the baseline as a point with its confidence interval, against a line at 1×
/// (no difference): an interval clear of the line is a verdict, one across it is indistinguishable.
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

        var lines = measured.Select(m => $"{m.Name}: {SummaryTable.SpeedupInterval(m.Speedup)}, {m.Speedup.Verdict}").ToList();
        var height = Top + measured.Count * RowHeight + AxisHeight;
        var svg = new SvgCanvas(id, Width, height, $"{modelName}: speed-up over the baseline with confidence interval", string.Join("; ", lines));
        var low = Math.Min(1, measured.Min(m => m.Speedup.Low));
        var high = Math.Max(1, measured.Max(m => m.Speedup.High));
        var scale = AxisScale.Create(low, high, Left, Width - Right, 6);
        var bottom = Top + measured.Count * RowHeight;
        svg.HorizontalAxis(scale, bottom, Top, "speed-up (baseline / variant latency): point = estimate, bar = interval");
        svg.Line(scale.ToPixel(1), Top, scale.ToPixel(1), bottom, ChartPalette.Axis, 1, " stroke-dasharray=\"4 3\" class=\"no-difference\"");
        for (var i = 0; i < measured.Count; i++)
        {
            var (name, speedup) = measured[i];
            var colour = ChartPalette.Colour(rows.ToList().FindIndex(r => r.Variant.Name == name));
            var mid = Top + (i * RowHeight) + (RowHeight / 2);
            var x0 = scale.ToPixel(speedup.Low);
            var x1 = scale.ToPixel(speedup.High);
            svg.OpenGroup(lines[i]);
            svg.Label(Left - 6, mid + 4, name, 17);
            svg.Line(x0, mid, x1, mid, colour, 2, " class=\"interval\"")
                .Line(x0, mid - 5, x0, mid + 5, colour, 2)
                .Line(x1, mid - 5, x1, mid + 5, colour, 2)
                .Circle(scale.ToPixel(speedup.Estimate), mid, 4, colour, ChartPalette.Axis, lines[i]);
            svg.CloseGroup();
        }

        return svg.ToString();
    }
}
