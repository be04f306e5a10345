using CompressionTasks.Evaluation;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes;

/// <summary>What a pass may use besides the graph: data for calibration and a way to judge a candidate's accuracy.</summary>
public sealed record PassContext(string ModelName, CancellationToken CancellationToken)
{
    /// <summary>The manifest's calibration set for this model; null when the manifest names none.</summary>
    public DatasetSource? Calibration { get; init; }

    /// <summary>The manifest's training set for this model (<c>training:</c>); null when the manifest names none.</summary>
    public DatasetSource? Training { get; init; }

    /// <summary>The model as loaded, before the variant's first pass: the teacher for distillation after pruning or quantization.</summary>
    public ModelProto? Uncompressed { get; init; }

    /// <summary>
    /// Top-1 accuracy (percent) of a candidate model on a labelled dataset the pass names (its tuning set: the calibration
    /// set, never <see cref="Evaluation"/>); NaN when that set has no labels; null when the run cannot evaluate.
    /// </summary>
    public Func<ModelProto, DatasetSource, CancellationToken, Task<double>>? AccuracyProbe { get; init; }

    /// <summary>
    /// The dataset the gates judge this model on. A search that chooses between candidates by accuracy (fallback,
    /// precision) must not tune on it, or the gate's verdict is optimistic; it is here so a pass can refuse it.
    /// </summary>
    public DatasetSource? Evaluation { get; init; }

    public IProgress<string>? Progress { get; init; }

    /// <summary>What the variant's passes leave for later passes (typed slots such as the prune pass's record).</summary>
    public PassState State { get; init; } = new();

    /// <summary>Threads for any ONNX Runtime session a pass opens (calibration, sensitivity).</summary>
    public int IntraOpThreads { get; init; } = Environment.ProcessorCount;
}
