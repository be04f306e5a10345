using System.Globalization;
using System.Text;

namespace CompressionTasks.Reports;

/// <summary>
/// Writes one accessible inline SVG chart: <c>role="img"</c>, a <c>title</c> and <c>desc</c> referenced by
/// <c>aria-labelledby</c>, and escaped text everywhere. Coordinates are printed with two decimals in the invariant
/// culture so the same report always gives the same markup.
/// </summary>
internal sealed class SvgCanvas
{
    private readonly StringBuilder _svg = new();

    public SvgCanvas(string id, double width, double height, string title, string description)
    {
        _svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {N(width)} {N(height)}\" width=\"{N(width)}\" height=\"{N(height)}\" aria-labelledby=\"{id}-title {id}-desc\">");
        _svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{HtmlText.Escape(title)}</title>");
        _svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">{HtmlText.Escape(description)}</desc>");
    }

    public SvgCanvas Rect(double x, double y, double width, double height, string fill, string? tooltip = null, string? extra = null)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, width))}\" height=\"{N(Math.Max(0, height))}\" fill=\"{fill}\"{Extra(extra)}");
        return CloseWithTooltip("rect", tooltip);
    }

    public SvgCanvas Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? extra = null)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(strokeWidth)}\"{Extra(extra)}/>");
        return this;
    }

    public SvgCanvas Circle(double cx, double cy, double r, string fill, string stroke, string? tooltip = null, string? extra = null)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{Extra(extra)}");
        return CloseWithTooltip("circle", tooltip);
    }

    /// <summary>A polygon or polyline through <paramref name="points"/>.</summary>
    public SvgCanvas Polyline(IEnumerable<(double X, double Y)> points, string stroke, string fill = "none", bool closed = false, string? tooltip = null, string? extra = null)
    {
        var element = closed ? "polygon" : "polyline";
        var coordinates = string.Join(" ", points.Select(p => $"{N(p.X)},{N(p.Y)}"));
        _svg.Append(CultureInfo.InvariantCulture, $"<{element} points=\"{coordinates}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{Extra(extra)}");
        return CloseWithTooltip(element, tooltip);
    }

    public SvgCanvas Text(double x, double y, string text, string anchor = "start", string? extra = null)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\"{Extra(extra)}>{HtmlText.Escape(text)}</text>");
        return this;
    }

    /// <summary>A text label that may be shortened to fit; the full text stays available as its tooltip.</summary>
    public SvgCanvas Label(double x, double y, string text, int maxChars, string anchor = "end", string? extra = null)
    {
        var shown = HtmlText.Truncate(text, maxChars);
        if (shown == text)
        {
            return Text(x, y, text, anchor, extra);
        }

        _svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\"{Extra(extra)}><title>{HtmlText.Escape(text)}</title>{HtmlText.Escape(shown)}</text>");
        return this;
    }

    public SvgCanvas OpenGroup(string label)
    {
        _svg.Append(CultureInfo.InvariantCulture, $"<g role=\"group\" aria-label=\"{HtmlText.Escape(label)}\">");
        return this;
    }

    public SvgCanvas CloseGroup()
    {
        _svg.Append("</g>");
        return this;
    }

    /// <summary>A horizontal value axis at <paramref name="y"/> with ticks, grid lines up to <paramref name="gridTop"/> and a caption.</summary>
    public SvgCanvas HorizontalAxis(AxisScale scale, double y, double gridTop, string caption)
    {
        foreach (var tick in scale.Ticks())
        {
            var x = scale.ToPixel(tick);
            Line(x, gridTop, x, y, ChartPalette.Grid);
            Line(x, y, x, y + 4, ChartPalette.Axis);
            Text(x, y + 16, scale.Label(tick), "middle", " class=\"tick\"");
        }

        Line(scale.PixelStart, y, scale.PixelEnd, y, ChartPalette.Axis);
        return Text((scale.PixelStart + scale.PixelEnd) / 2, y + 32, caption, "middle", " class=\"axis-caption\"");
    }

    /// <summary>A vertical value axis at <paramref name="x"/> with ticks, grid lines across to <paramref name="gridRight"/> and a caption.</summary>
    public SvgCanvas VerticalAxis(AxisScale scale, double x, double gridRight, string caption)
    {
        foreach (var tick in scale.Ticks())
        {
            var y = scale.ToPixel(tick);
            Line(x, y, gridRight, y, ChartPalette.Grid);
            Line(x - 4, y, x, y, ChartPalette.Axis);
            Text(x - 7, y + 4, scale.Label(tick), "end", " class=\"tick\"");
        }

        Line(x, scale.PixelStart, x, scale.PixelEnd, ChartPalette.Axis);
        var middle = (scale.PixelStart + scale.PixelEnd) / 2;
        return Text(14, middle, caption, "middle", string.Create(CultureInfo.InvariantCulture, $" class=\"axis-caption\" transform=\"rotate(-90 14 {N(middle)})\""));
    }

    public override string ToString() => _svg.ToString() + "</svg>";

    private SvgCanvas CloseWithTooltip(string element, string? tooltip)
    {
        _svg.Append(tooltip is null ? "/>" : $"><title>{HtmlText.Escape(tooltip)}</title></{element}>");
        return this;
    }

    private static string Extra(string? extra) => extra ?? string.Empty;

    internal static string N(double value)
    {
        if (!double.IsFinite(value))
        {
            // Never print NaN into an attribute: browsers reject the element and log an error.
            return "0";
        }

        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }
}
