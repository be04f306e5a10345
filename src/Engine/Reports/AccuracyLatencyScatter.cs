namespace CompressionTasks.Reports;

/// <summary>
/// Accuracy against latency, one point per variant, with the Pareto front (the variants nothing else beats on both)
/// joined by a dashed line and drawn as filled diamonds; dominated variants are hollow circles. Shape, not colour
/// alone, carries the distinction.
/// </summary>
internal static class AccuracyLatencyScatter
{
    private const double Width = 560;
    private const double Height = 360;
    private const double Left = 64;
    private const double Right = 24;
    private const double Top = 34;
    private const double Bottom = 52;

    public static string? Render(string id, string modelName, IReadOnlyList<VariantSummary> rows)
    {
        var points = rows
            .Select((r, i) => (Row: r, Colour: ChartPalette.Colour(i)))
            .Where(p => p.Row.Latency is not null && p.Row.Accuracy is not null)
            .Select(p => (p.Row.Variant.Name, Latency: p.Row.Latency!.Mean, Accuracy: p.Row.Accuracy!.Top1, p.Colour))
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var front = ParetoFront.Indices(points.Select(p => (p.Latency, p.Accuracy)).ToList());
        var description = "Pareto front (fastest first): " + string.Join(", ", front.Select(i => points[i].Name))
            + ". All variants: " + string.Join("; ", points.Select(p => $"{p.Name} {ReportUnits.Ms(p.Latency)} ms, {ReportUnits.Fixed(p.Accuracy, 2)}%"));
        var svg = new SvgCanvas(id, Width, Height, $"{modelName}: top-1 accuracy against mean latency", description);
        var (xMin, xMax) = Padded(points.Min(p => p.Latency), points.Max(p => p.Latency), 0, double.MaxValue);
        var (yMin, yMax) = Padded(points.Min(p => p.Accuracy), points.Max(p => p.Accuracy), 0, 100);
        var x = AxisScale.Create(xMin, xMax, Left, Width - Right, 6);
        var y = AxisScale.Create(yMin, yMax, Height - Bottom, Top, 5);
        svg.HorizontalAxis(x, Height - Bottom, Top, "mean latency (ms) — lower is better");
        svg.VerticalAxis(y, Left, Width - Right, "top-1 (%) — higher is better");

        svg.OpenGroup("Legend");
        Diamond(svg, Left + 10, 14, "#ffffff", ChartPalette.Axis, null);
        svg.Text(Left + 20, 18, "Pareto front", "start", " class=\"legend\"");
        svg.Circle(Left + 130, 14, 5, "#ffffff", ChartPalette.Axis);
        svg.Text(Left + 140, 18, "dominated", "start", " class=\"legend\"");
        svg.CloseGroup();

        if (front.Count > 1)
        {
            svg.Polyline(front.Select(i => (x.ToPixel(points[i].Latency), y.ToPixel(points[i].Accuracy))), ChartPalette.Axis, extra: " stroke-dasharray=\"5 4\" class=\"pareto\"");
        }

        var placed = new List<(double X, double Y, double Width)>();
        for (var i = 0; i < points.Count; i++)
        {
            var (name, latency, accuracy, colour) = points[i];
            var px = x.ToPixel(latency);
            var py = y.ToPixel(accuracy);
            var onFront = front.Contains(i);
            var tooltip = $"{name}: {ReportUnits.Ms(latency)} ms, top-1 {ReportUnits.Fixed(accuracy, 2)}%{(onFront ? ", on the Pareto front" : ", dominated")}";
            svg.OpenGroup(tooltip);
            if (onFront)
            {
                Diamond(svg, px, py, colour, ChartPalette.Axis, tooltip);
            }
            else
            {
                svg.Circle(px, py, 5, "#ffffff", colour, tooltip);
            }

            var (lx, ly, anchor) = LabelPosition(px, py, HtmlText.Truncate(name, 18).Length, placed);
            svg.Label(lx, ly, name, 18, anchor, " class=\"point-label\"");
            svg.CloseGroup();
        }

        return svg.ToString();
    }

    /// <summary>
    /// Puts a point's label above-right of it, or at the first of a few other spots where it does not cover a label
    /// already drawn (variants often sit close together: fp16 next to its baseline).
    /// </summary>
    private static (double X, double Y, string Anchor) LabelPosition(double px, double py, int chars, List<(double X, double Y, double Width)> placed)
    {
        const double charWidth = 6.2;
        const double lineHeight = 12;
        var width = chars * charWidth;
        var preferEnd = px > Width - Right - width - 12;
        (double Dx, double Dy, bool End)[] candidates =
        [
            (9, -7, preferEnd), (9, 15, preferEnd), (9, -7, !preferEnd), (9, 15, !preferEnd), (9, -20, preferEnd), (9, 28, preferEnd),
        ];
        foreach (var (dx, dy, end) in candidates)
        {
            var left = end ? px - dx - width : px + dx;
            var y = py + dy;
            var overlaps = placed.Any(p => left < p.X + p.Width && p.X < left + width && Math.Abs(p.Y - y) < lineHeight);
            if (!overlaps)
            {
                placed.Add((left, y, width));
                return (end ? px - dx : px + dx, y, end ? "end" : "start");
            }
        }

        placed.Add((preferEnd ? px - 9 - width : px + 9, py - 7, width));
        return (preferEnd ? px - 9 : px + 9, py - 7, preferEnd ? "end" : "start");
    }

    private static void Diamond(SvgCanvas svg, double cx, double cy, string fill, string stroke, string? tooltip) =>
        svg.Polyline([(cx, cy - 7), (cx + 7, cy), (cx, cy + 7), (cx - 7, cy)], stroke, fill, closed: true, tooltip, " class=\"front-point\"");

    private static (double Min, double Max) Padded(double min, double max, double floor, double ceiling)
    {
        var pad = max > min ? (max - min) * 0.15 : Math.Max(Math.Abs(max) * 0.05, 0.5);
        return (Math.Max(floor, min - pad), Math.Min(ceiling, max + pad));
    }
}
