using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;

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

    /// <summary>
    /// Shapes for passes that infer them: the manifest's <c>inputShapes</c> (or the dataset's sample shape) with their
    /// symbols bound; other symbols stay symbolic.
    /// </summary>
    public ShapeInferenceOptions Shapes { get; init; } = ShapeInferenceOptions.Default;

    /// <summary>Shapes for counting parameters and MACs per sample (unbound symbols as 1, contradictions reported, not fatal).</summary>
    public ShapeInferenceOptions StatisticsShapes { get; init; } = new() { UnboundSymbolValue = 1, Lenient = true };

    /// <summary>Whether each pass's output is loaded and run by ONNX Runtime and compared with its input before it is kept.</summary>
    public bool VerifyOutputs { get; init; } = true;
    /// <summary>The running pass's warnings; a pass adds to them with <see cref="Warn"/>.</summary>
    public PassWarnings Warnings { get; init; } = new();

    /// <summary>Threads for any ONNX Runtime session a pass opens (calibration, sensitivity).</summary>
    public int IntraOpThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The run's measurement settings (execution provider, threads) for a pass that times the model the way the measure
    /// stage will (<c>quantize: { precision: auto }</c>); null: CPU with <see cref="IntraOpThreads"/>.
    /// </summary>
    public Measurement.ExecutionSettings? Execution { get; init; }

    /// <summary>Records a warning about the pass's result under <paramref name="code"/> (see <see cref="PassWarning"/>).</summary>
    public void Warn(DiagnosticCode code, string message) => Warnings.Add(code, message);
}
