namespace CompressionTasks.Reports;

/// <summary>
/// Latency spread per variant: a Tukey box plot from the raw samples when the report kept them, otherwise the mean
/// with its confidence interval (and the chart says which it drew).
/// </summary>
internal static class LatencyDistributionChart
{
    private const double Width = 560;
    private const double Left = 118;
    private const double Right = 24;
    private const double Top = 8;
    private const double RowHeight = 30;
    private const double BoxHeight = 16;
    private const double AxisHeight = 42;

    public static string? Render(string id, string modelName, IReadOnlyList<VariantSummary> rows)
    {
        if (rows.All(r => r.Latency is null))
        {
            return null;
        }

        var shapes = rows.Select(r => (r.Variant.Name, r.Latency, Box: r.Latency?.Samples is { Count: > 0 } s ? BoxPlotStatistics.From(s) : null)).ToList();
        var lows = shapes.Where(s => s.Latency is not null).Select(s => s.Box is { } b ? Math.Min(b.WhiskerLow, b.Outliers.DefaultIfEmpty(b.WhiskerLow).Min()) : s.Latency!.Mean - s.Latency.CiHalfWidth);
        var highs = shapes.Where(s => s.Latency is not null).Select(s => s.Box is { } b ? Math.Max(b.WhiskerHigh, b.Outliers.DefaultIfEmpty(b.WhiskerHigh).Max()) : s.Latency!.Mean + s.Latency.CiHalfWidth);
        var height = Top + rows.Count * RowHeight + AxisHeight;
        var lines = shapes.Select(s => s switch
        {
            { Box: { } b } => $"{s.Name}: median {ReportUnits.Ms(b.Median)} ms, quartiles {ReportUnits.Ms(b.Q1)}–{ReportUnits.Ms(b.Q3)} ms, {s.Latency!.Samples!.Count(double.IsFinite)} samples",
            { Latency: { } l } => $"{s.Name}: mean {ReportUnits.Ms(l.Mean)} ± {ReportUnits.Ms(l.CiHalfWidth)} ms (no raw samples)",
            _ => $"{s.Name}: not measured",
        }).ToList();
        var description = string.Join("; ", lines);
        var svg = new SvgCanvas(id, Width, height, $"{modelName}: latency distribution per variant (ms)", description);
        var scale = AxisScale.Create(Math.Max(0, lows.Min()), highs.Max(), Left, Width - Right, 6);
        svg.HorizontalAxis(scale, Top + rows.Count * RowHeight, Top, "latency (ms): box = quartiles, whiskers = 1.5 IQR; or mean ± CI");
        for (var i = 0; i < shapes.Count; i++)
        {
            var (name, latency, box) = shapes[i];
            var colour = ChartPalette.Colour(i);
            var y = Top + i * RowHeight + (RowHeight - BoxHeight) / 2;
            var mid = y + BoxHeight / 2;
            svg.OpenGroup(lines[i]);
            svg.Label(Left - 6, mid + 4, name, 17);
            if (box is not null)
            {
                svg.Line(scale.ToPixel(box.WhiskerLow), mid, scale.ToPixel(box.Q1), mid, colour, 1.5)
                    .Line(scale.ToPixel(box.Q3), mid, scale.ToPixel(box.WhiskerHigh), mid, colour, 1.5)
                    .Line(scale.ToPixel(box.WhiskerLow), y + 3, scale.ToPixel(box.WhiskerLow), y + BoxHeight - 3, colour, 1.5)
                    .Line(scale.ToPixel(box.WhiskerHigh), y + 3, scale.ToPixel(box.WhiskerHigh), y + BoxHeight - 3, colour, 1.5)
                    .Rect(scale.ToPixel(box.Q1), y, scale.ToPixel(box.Q3) - scale.ToPixel(box.Q1), BoxHeight, colour,
                        $"{name}: Q1 {ReportUnits.Ms(box.Q1)}, median {ReportUnits.Ms(box.Median)}, Q3 {ReportUnits.Ms(box.Q3)} ms",
                        " fill-opacity=\"0.35\" stroke=\"" + colour + "\" stroke-width=\"1.5\"")
                    .Line(scale.ToPixel(box.Median), y, scale.ToPixel(box.Median), y + BoxHeight, ChartPalette.Axis, 2.5);
                foreach (var outlier in box.Outliers)
                {
                    svg.Circle(scale.ToPixel(outlier), mid, 2, "none", colour);
                }
            }
            else if (latency is not null)
            {
                var low = scale.ToPixel(latency.Mean - latency.CiHalfWidth);
                var high = scale.ToPixel(latency.Mean + latency.CiHalfWidth);
                svg.Line(low, mid, high, mid, colour, 2)
                    .Line(low, y + 3, low, y + BoxHeight - 3, colour, 2)
                    .Line(high, y + 3, high, y + BoxHeight - 3, colour, 2)
                    .Circle(scale.ToPixel(latency.Mean), mid, 4, colour, ChartPalette.Axis, $"{name}: mean {ReportUnits.Ms(latency.Mean)} ± {ReportUnits.Ms(latency.CiHalfWidth)} ms (no raw samples)");
            }
            else
            {
                svg.Text(Left + 4, mid + 4, "n/a: not measured", "start", " class=\"missing\"");
            }

            svg.CloseGroup();
        }

        return svg.ToString();
    }
}
