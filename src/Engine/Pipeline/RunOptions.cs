namespace CompressionTasks.Pipeline;

/// <summary>How one <c>run</c> executes a manifest.</summary>
public sealed record RunOptions
{
    /// <summary>Overrides the manifest's <c>output</c> folder.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Restricts the run to <c>MODEL</c> or <c>MODEL/VARIANT</c> (the baseline is always built: variants are judged against it).</summary>
    public RunSelection Selection { get; init; } = RunSelection.All;

    /// <summary>Accuracy evaluation on the models' datasets.</summary>
    public bool Evaluate { get; init; } = true;

    /// <summary>Latency, operator breakdown and energy: the slow part, which a developer's inner loop may skip.</summary>
    public bool Measure { get; init; } = true;

    /// <summary>Failed gates are reported as warnings and do not fail the run.</summary>
    public bool GatesAsWarnings { get; init; }

    public IProgress<string>? Progress { get; init; }
}
