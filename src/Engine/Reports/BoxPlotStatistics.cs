namespace CompressionTasks.Reports;

/// <summary>
/// A Tukey box plot's numbers: quartiles by linear interpolation between order statistics, whiskers at the furthest
/// samples within 1.5 IQR of the box, and the samples beyond them as outliers.
/// </summary>
internal sealed record BoxPlotStatistics(double Q1, double Median, double Q3, double WhiskerLow, double WhiskerHigh, IReadOnlyList<double> Outliers)
{
    public static BoxPlotStatistics? From(IReadOnlyList<double> samples)
    {
        var sorted = samples.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var q1 = Quantile(sorted, 0.25);
        var median = Quantile(sorted, 0.5);
        var q3 = Quantile(sorted, 0.75);
        var fence = 1.5 * (q3 - q1);
        var low = sorted.First(s => s >= q1 - fence);
        var high = sorted.Last(s => s <= q3 + fence);
        var outliers = sorted.Where(s => s < low || s > high).ToArray();
        return new BoxPlotStatistics(q1, median, q3, low, high, outliers);
    }

    internal static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
