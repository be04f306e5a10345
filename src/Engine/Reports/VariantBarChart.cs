namespace CompressionTasks.Reports;

/// <summary>
/// Horizontal bars, one per variant, with an optional error whisker (a confidence interval). A variant without a
/// value gets "n/a" in place of its bar, so an unmeasured section never looks like a zero.
/// </summary>
internal static class VariantBarChart
{
    public sealed record Bar(string Label, double? Value, string ValueText, string Colour, double? ErrorHalfWidth = null);

    private const double Width = 380;
    private const double Left = 110;
    private const double Right = 112;
    private const double Top = 8;
    private const double RowHeight = 26;
    private const double BarHeight = 16;
    private const double AxisHeight = 42;

    public static string Render(string id, string title, string axisCaption, IReadOnlyList<Bar> bars, double? fixedMax = null)
    {
        var height = Top + bars.Count * RowHeight + AxisHeight;
        var description = string.Join("; ", bars.Select(b => $"{b.Label}: {b.ValueText}"));
        var svg = new SvgCanvas(id, Width, height, title, description);
        var dataMax = bars.Select(b => (b.Value ?? 0) + (b.ErrorHalfWidth ?? 0)).DefaultIfEmpty(0).Max();
        var scale = AxisScale.Create(0, fixedMax ?? (dataMax > 0 ? dataMax : 1), Left, Width - Right, 4);
        var axisY = Top + bars.Count * RowHeight;
        svg.HorizontalAxis(scale, axisY, Top, axisCaption);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + i * RowHeight + (RowHeight - BarHeight) / 2;
            var textY = y + BarHeight / 2 + 4;
            svg.OpenGroup($"{bar.Label}: {bar.ValueText}");
            svg.Label(Left - 6, textY, bar.Label, 16);
            if (bar.Value is { } value)
            {
                var end = scale.ToPixel(value);
                svg.Rect(Left, y, end - Left, BarHeight, bar.Colour, $"{bar.Label}: {bar.ValueText}");
                var labelX = end;
                if (bar.ErrorHalfWidth is { } half && half > 0)
                {
                    var low = scale.ToPixel(Math.Max(0, value - half));
                    var high = scale.ToPixel(value + half);
                    var mid = y + BarHeight / 2;
                    svg.Line(low, mid, high, mid, ChartPalette.Axis, 1.5)
                        .Line(low, mid - 4, low, mid + 4, ChartPalette.Axis, 1.5)
                        .Line(high, mid - 4, high, mid + 4, ChartPalette.Axis, 1.5);
                    labelX = Math.Max(end, high);
                }

                svg.Text(labelX + 4, textY, bar.ValueText, "start", " class=\"value\"");
            }
            else
            {
                svg.Text(Left + 4, textY, bar.ValueText, "start", " class=\"missing\"");
            }

            svg.CloseGroup();
        }

        return svg.ToString();
    }
}
