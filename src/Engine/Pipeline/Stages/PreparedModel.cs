using CompressionTasks.Evaluation;
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
