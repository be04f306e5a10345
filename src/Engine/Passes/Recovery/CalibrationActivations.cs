using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Runs the original and the current (pruned) model side by side on calibration batches through
/// <see cref="DatasetInference"/>, exposing chosen intermediate values as extra graph outputs, and hands each batch's
/// activations to a callback. Only one batch is alive at a time, so the memory a recovery method needs is its own
/// accumulators, never all activations. Each recovery method states the <see cref="TailPolicy"/> for a short last
/// batch; under every policy a fixed batch is padded and the padding cut off, so every sample is used, even when there
/// are fewer samples than one batch (dropping them would leave least squares nothing to fit and write all-zero weights).
/// </summary>
internal sealed class CalibrationActivations : IDisposable
{
    private const int BatchRows = 32;
    private readonly DatasetReader _reader;
    private readonly int _samples;
    private readonly int _threads;
    private readonly string _modelName;

    /// <summary>
    /// Recovery on at most <paramref name="maxSamples"/> of <paramref name="reader"/>'s samples; at least one must exist
    /// and, when <paramref name="countGiven"/>, all <paramref name="maxSamples"/> (<see cref="CompressionException"/> otherwise).
    /// </summary>
    public CalibrationActivations(DatasetReader reader, int maxSamples, bool countGiven, int threads, string modelName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        SampleRequirement.Require(reader, maxSamples, countGiven, "recover", "samples", modelName);
        _reader = reader;
        _samples = Math.Min(reader.Count, maxSamples);
        _threads = threads;
        _modelName = modelName;
    }

    public int Samples => _samples;

    /// <summary>Threads of the ONNX Runtime sessions, and of the work a recovery method does per batch.</summary>
    public int Threads => _threads;

    public void Dispose() => _reader.Dispose();

    /// <summary>For each batch, calls <paramref name="onBatch"/> with the named activations of <paramref name="original"/> and <paramref name="current"/>.</summary>
    public void Run(ModelProto original, IReadOnlyList<string> originalValues, ModelProto current, IReadOnlyList<string> currentValues, TailPolicy tail,
        Action<IReadOnlyDictionary<string, Activation>, IReadOnlyDictionary<string, Activation>> onBatch, CancellationToken cancellationToken)
    {
        using var options = new SessionOptions { IntraOpNumThreads = _threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var first = OnnxBatchRunner.ForModel(original, originalValues, options, _modelName, Error);
        using var second = OnnxBatchRunner.ForModel(current, currentValues, options, _modelName, Error);
        if (first.FixedBatch != second.FixedBatch)
        {
            throw Error(InferenceFailure.Interface, $"the original model takes batches of {first.FixedBatch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any size"} but the pruned one {second.FixedBatch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any size"}", null);
        }

        // A model exported with a fixed batch size takes exactly that many rows; a dynamic batch takes BatchRows.
        var feed = new DatasetInference(_reader, [first, second], _samples, BatchRows, tail);
        feed.Run((_, outputs) => onBatch(Activations(outputs[0], originalValues), Activations(outputs[1], currentValues)), cancellationToken);
    }

    private static Dictionary<string, Activation> Activations(InferenceOutputs outputs, IReadOnlyList<string> names)
    {
        var activations = new Dictionary<string, Activation>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            activations[names[i]] = new Activation(outputs[i].ToArray(), outputs.ShapeOf(i));
        }

        return activations;
    }

    private CompressionException Error(InferenceFailure failure, string reason, Exception? inner) => failure switch
    {
        InferenceFailure.Load => new(DiagnosticCodes.RecoveryRunFailed, SourceLocation.None,
            $"recover ({_modelName}): ONNX Runtime cannot load the model with its activations exposed: {reason}", inner),
        InferenceFailure.Run => new(DiagnosticCodes.RecoveryRunFailed, SourceLocation.None, $"recover ({_modelName}): ONNX Runtime failed on calibration data: {reason}", inner),
        _ => new(DiagnosticCodes.RecoveryRunFailed, SourceLocation.None, $"recover ({_modelName}): {reason}", inner),
    };
}
