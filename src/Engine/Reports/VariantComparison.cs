namespace CompressionTasks.Reports;

/// <summary>One variant in a <see cref="ReportComparison"/>: its figures in both reports and its regression gates.</summary>
public sealed record VariantComparison(string Model, string Variant)
{
    public bool InBaseline { get; init; }

    public required MetricChange SizeBytes { get; init; }

    public required MetricChange LatencyMs { get; init; }

    /// <summary>Top-1 accuracy in percent; its <see cref="MetricChange.Delta"/> is in percentage points.</summary>
    public required MetricChange Top1 { get; init; }

    public required MetricChange JoulesPerInference { get; init; }

    public required IReadOnlyList<GateReport> Gates { get; init; }

    /// <summary>The paired speed-up over the baseline in the saved report (null when it has none).</summary>
    public SpeedupReport? SpeedupBefore { get; init; }

    /// <summary>The paired speed-up over the baseline now (null when not measured).</summary>
    public SpeedupReport? SpeedupAfter { get; init; }
}
