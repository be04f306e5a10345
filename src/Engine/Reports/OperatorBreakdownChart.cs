namespace CompressionTasks.Reports;

/// <summary>
/// Where each variant spends its time, by ONNX operator type: one stacked horizontal bar per variant, in
/// milliseconds so that variants compare on one scale. The most expensive operator types get their own colour;
/// the rest are summed as "other".
/// </summary>
internal static class OperatorBreakdownChart
{
    private const double Width = 900;
    private const double Left = 118;
    private const double Right = 96;
    private const double RowHeight = 26;
    private const double BarHeight = 16;
    private const double AxisHeight = 42;
    private const double LegendItemWidth = 130;
    private const double LegendRowHeight = 18;
    private const string OtherName = "other";

    public static string? Render(string id, string modelName, IReadOnlyList<VariantSummary> rows)
    {
        if (rows.All(r => r.Operators is null))
        {
            return null;
        }

        var totals = rows
            .SelectMany(r => r.Operators ?? [])
            .GroupBy(o => o.OpType, StringComparer.Ordinal)
            .Select(g => (OpType: g.Key, Ms: g.Sum(o => o.Ms)))
            .OrderByDescending(t => t.Ms)
            .ThenBy(t => t.OpType, StringComparer.Ordinal)
            .ToList();
        var named = totals.Count <= ChartPalette.Count
            ? totals.Select(t => t.OpType).ToList()
            : totals.Take(ChartPalette.Count - 1).Select(t => t.OpType).ToList();
        var series = named.Select((name, i) => (Name: name, Colour: ChartPalette.Colour(i))).ToList();
        if (named.Count < totals.Count)
        {
            series.Add((OtherName, ChartPalette.Other));
        }

        var perRow = (int)((Width - Left) / LegendItemWidth);
        var legendHeight = Math.Ceiling(series.Count / (double)perRow) * LegendRowHeight + 8;
        var top = legendHeight + 4;
        var height = top + rows.Count * RowHeight + AxisHeight;
        var description = "Operator types, most expensive first: " + string.Join(", ", totals.Select(t => $"{t.OpType} {ReportUnits.Ms(t.Ms)} ms in total"));
        var svg = new SvgCanvas(id, Width, height, $"{modelName}: time per operator type and variant (ms)", description);

        svg.OpenGroup("Legend");
        for (var i = 0; i < series.Count; i++)
        {
            var x = Left + i % perRow * LegendItemWidth;
            var y = 4 + i / perRow * LegendRowHeight;
            svg.Rect(x, y, 12, 12, series[i].Colour).Label(x + 16, y + 10, series[i].Name, 16, "start", " class=\"legend\"");
        }

        svg.CloseGroup();

        var variantTotals = rows.Select(r => r.Operators?.Sum(o => o.Ms)).ToList();
        var scale = AxisScale.Create(0, variantTotals.Max(t => t ?? 0) is var max and > 0 ? max : 1, Left, Width - Right, 8);
        svg.HorizontalAxis(scale, top + rows.Count * RowHeight, top, "time per inference (ms), summed over operator types");
        for (var i = 0; i < rows.Count; i++)
        {
            var variant = rows[i].Variant;
            var y = top + i * RowHeight + (RowHeight - BarHeight) / 2;
            var textY = y + BarHeight / 2 + 4;
            svg.OpenGroup($"{variant.Name}: " + (variantTotals[i] is { } t ? $"{ReportUnits.Ms(t)} ms" : "not measured"));
            svg.Label(Left - 6, textY, variant.Name, 17);
            if (rows[i].Operators is { } ops)
            {
                var x = Left;
                foreach (var (name, colour) in series)
                {
                    var segment = ops.Where(o => name == OtherName ? !named.Contains(o.OpType, StringComparer.Ordinal) : o.OpType == name).ToList();
                    if (segment.Count == 0)
                    {
                        continue;
                    }

                    var ms = segment.Sum(o => o.Ms);
                    var share = segment.Sum(o => double.IsFinite(o.Share) ? o.Share : 0);
                    var width = scale.ToPixel(ms) - Left;
                    svg.Rect(x, y, width, BarHeight, colour, $"{variant.Name} · {name}: {ReportUnits.Ms(ms)} ms ({ReportUnits.Fixed(share * 100, 1)}%)", " stroke=\"#ffffff\" stroke-width=\"0.5\"");
                    x += width;
                }

                svg.Text(x + 4, textY, $"{ReportUnits.Ms(variantTotals[i]!.Value)} ms", "start", " class=\"value\"");
            }
            else
            {
                svg.Text(Left + 4, textY, "n/a: not measured", "start", " class=\"missing\"");
            }

            svg.CloseGroup();
        }

        return svg.ToString();
    }
}
