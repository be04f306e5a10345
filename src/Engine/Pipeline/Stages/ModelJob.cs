using CompressionTasks.Evaluation;
using CompressionTasks.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>One model after <see cref="PrepareStage"/>: loaded, fingerprinted, its datasets and shapes resolved, or its previous results reused.</summary>
internal sealed record PreparedModel(ModelEntry Model, StepCounter Steps, string Fingerprint)
{
    /// <summary>The previous run's report of this model (gates included), when nothing it depends on changed; then nothing else is set.</summary>
    public ModelReport? Reused { get; init; }

    public LoadedModel? Source { get; init; }

    public DatasetSource? Dataset { get; init; }

    public DatasetSource? Calibration { get; init; }

    public DatasetSource? Training { get; init; }

    public ShapeInferenceOptions ShapeOptions { get; init; } = ShapeInferenceOptions.Default;
}

/// <summary>One variant after <see cref="BuildStage"/> and <see cref="EvaluateStage"/>.</summary>
internal sealed record BuiltVariantResult(VariantReport Report, EvaluationResult? Evaluation, string ModelPath);

/// <summary>One model with every selected variant built and evaluated (the baseline first), or reused.</summary>
internal sealed record BuiltModel(PreparedModel Prepared, IReadOnlyList<BuiltVariantResult> Variants)
{
    public ModelEntry Model => Prepared.Model;
}

/// <summary>One model through <see cref="GateStage"/>: its report and the verdicts of its variant gates, each with its gate.</summary>
internal sealed record JudgedModel(ModelReport Report, IReadOnlyList<GateVerdict> Verdicts);
