using System.Globalization;

namespace CompressionTasks.Reports;

/// <summary>
/// A linear axis with "nice" tick values (1, 2, 2.5 or 5 times a power of ten) that maps data values to pixels.
/// </summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, double step, double pixelStart, double pixelEnd)
    {
        Min = min;
        Max = max;
        Step = step;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public double PixelStart { get; }

    public double PixelEnd { get; }

    /// <summary>A scale covering [<paramref name="dataMin"/>, <paramref name="dataMax"/>] with about <paramref name="targetTicks"/> ticks.</summary>
    public static AxisScale Create(double dataMin, double dataMax, double pixelStart, double pixelEnd, int targetTicks = 5)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax))
        {
            (dataMin, dataMax) = (0, 1);
        }

        if (dataMax < dataMin)
        {
            (dataMin, dataMax) = (dataMax, dataMin);
        }

        if (dataMax - dataMin < 1e-12)
        {
            var pad = Math.Abs(dataMax) > 0 ? Math.Abs(dataMax) * 0.1 : 1;
            dataMin = dataMin >= 0 && dataMin - pad < 0 ? 0 : dataMin - pad;
            dataMax += pad;
        }

        var step = NiceStep((dataMax - dataMin) / Math.Max(1, targetTicks));
        var min = Math.Floor(dataMin / step) * step;
        var max = Math.Ceiling(dataMax / step) * step;
        return new AxisScale(min, max, step, pixelStart, pixelEnd);
    }

    public double ToPixel(double value) => PixelStart + (value - Min) / (Max - Min) * (PixelEnd - PixelStart);

    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round((Max - Min) / Step);
        for (var i = 0; i <= count; i++)
        {
            yield return Min + i * Step;
        }
    }

    public string Label(double tick)
    {
        var decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(Step) + 1e-9) + (NiceFraction(Step) == 2.5 ? 1 : 0));
        return ReportUnits.Fixed(tick, Math.Min(decimals, 6));
    }

    private static double NiceStep(double rough)
    {
        var exponent = Math.Floor(Math.Log10(rough));
        var power = Math.Pow(10, exponent);
        var fraction = rough / power;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    private static double NiceFraction(double step)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(step)));
        return Math.Round(step / power, 6);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Min}, {Max}] step {Step}");
}
