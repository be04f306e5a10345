using CompressionTasks.Evaluation;

namespace CompressionTasks.Bench.Study;

/// <summary>One model of the study: where it comes from and what its accuracy column can mean.</summary>
/// <param name="Labelled">The evaluation dataset has labels, so the column is top-1; otherwise agreement with the baseline.</param>
/// <param name="Weights">"trained" or "random" (torchvision architectures exported without checkpoints).</param>
public sealed record StudyModel(string Name, string Path, string Dataset, string Calibration, bool Labelled, string Weights)
{
    /// <summary>Data for the evaluation-throughput comparison (engine vs bare ONNX Runtime); none skips it.</summary>
    public DatasetSource? ThroughputData { get; init; }
}

/// <summary>Models that share datasets and a latency budget, written as one compression.yaml.</summary>
/// <param name="DatasetsYaml">The manifest's <c>datasets:</c> entries, indented two spaces.</param>
public sealed record StudyModelSet(string Name, string DatasetsYaml, IReadOnlyList<StudyModel> Models, LatencyBudget Latency);

/// <summary>The manifest's <c>measure.latency</c> stopping rule for one set: capped so the whole run stays short.</summary>
public sealed record LatencyBudget(int WarmupRuns, int MinRuns, int MaxRuns, double TimeBudgetSeconds);
