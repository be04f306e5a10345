namespace CompressionTasks.Reports;

/// <summary>A value in the baseline and now; either is null when that report did not measure it.</summary>
public sealed record MetricChange(double? Baseline, double? Current)
{
    public double? Delta => Baseline is { } b && Current is { } c ? c - b : null;

    public double? RelativePercent => Baseline is { } b and not 0 && Current is { } c ? (c - b) / b * 100 : null;
}
