using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>One model after <see cref="PrepareStage"/>: loaded, fingerprinted, its datasets and shapes resolved, or its previous results reused.</summary>
internal sealed record PreparedModel(ModelEntry Model, StepCounter Steps, string Fingerprint)
{
    /// <summary>The previous run's report of this model (gates included), when nothing it depends on changed; then nothing else is set.</summary>
    public ModelReport? Reused { get; init; }

    public LoadedModel? Source { get; init; }

    /// <summary>
    /// The source after <see cref="Onnx.Preparation.GraphPreparer"/> (Constant weights to initializers, Identity/Dropout
    /// removed, constants folded): what every pass starts from and what statistics count. The source itself when
    /// nothing needed preparing, so a model already in the normal form goes through exactly as before.
    /// </summary>
    public ModelProto? Prepared { get; init; }

    /// <summary>Shapes the passes infer with: the manifest's input shapes, or the dataset's sample shape, with their symbols bound.</summary>
    public ShapeInferenceOptions PassShapes { get; init; } = ShapeInferenceOptions.Default;

    public DatasetSource? Dataset { get; init; }

    public DatasetSource? Calibration { get; init; }

    public DatasetSource? Training { get; init; }

    public ShapeInferenceOptions ShapeOptions { get; init; } = ShapeInferenceOptions.Default;
}
