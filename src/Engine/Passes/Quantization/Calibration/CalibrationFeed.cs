using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Passes.Quantization.Calibration;

/// <summary>
/// Runs a model on the calibration set, one batch at a time, through <see cref="DatasetInference"/>, and hands each
/// requested output to a callback. The model is an in-memory copy with the intermediate tensors exposed as graph
/// outputs, so nothing is written to disk and only one batch of activations is alive at a time. Each caller states the
/// <see cref="TailPolicy"/> for a short last batch; under every policy the padding of a fixed batch is cut off, so no
/// sample weighs twice in a histogram and none is left out.
/// </summary>
public sealed class CalibrationFeed : IDisposable
{
    private const int PreferredBatch = 16;
    private readonly DatasetReader _reader;
    private readonly string _modelName;

    public CalibrationFeed(DatasetSource source, int maxSamples, string modelName)
        : this(source, maxSamples, false, modelName)
    {
    }

    /// <summary>
    /// A feed of at most <paramref name="maxSamples"/> samples; at least one must exist and, when
    /// <paramref name="countGiven"/>, all <paramref name="maxSamples"/> (<see cref="CompressionException"/> otherwise).
    /// </summary>
    public CalibrationFeed(DatasetSource source, int maxSamples, bool countGiven, string modelName)
    {
        ArgumentNullException.ThrowIfNull(source);
        _modelName = modelName;
        // At most maxSamples of the set's own selection, stratified by label: a class-ordered folder must not give the
        // first few classes.
        _reader = DatasetReader.Open(source.WithSubsample(maxSamples));
        SampleRequirement.Require(_reader, maxSamples, countGiven, "quantize", "calibrationSamples", modelName);
        Source = source;
    }

    public DatasetSource Source { get; }

    public int SampleCount => _reader.Count;

    /// <summary>
    /// Runs <paramref name="model"/> with <paramref name="outputs"/> exposed as graph outputs, over at most
    /// <paramref name="maxBatches"/> batches, calling <paramref name="onOutput"/>(batchIndex, outputIndex, data) for
    /// each, the data covering the batch's real samples only; <paramref name="tail"/> shapes a short last batch.
    /// </summary>
    public void Run(ModelProto model, IReadOnlyList<string> outputs, int threads, int maxBatches, TailPolicy tail, Action<int, int, ReadOnlySpan<float>> onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(onOutput);
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), InterOpNumThreads = 1 };
        using var runner = OnnxBatchRunner.ForModel(model, outputs, options, _modelName, Error);
        var feed = new DatasetInference(_reader, [runner], _reader.Count, PreferredBatch, tail);
        feed.Run((batch, results) =>
        {
            var exposed = results[0];
            for (var o = 0; o < outputs.Count; o++)
            {
                onOutput(batch.Index, o, exposed[o]);
            }
        }, cancellationToken, maxBatches);
    }

    /// <summary>
    /// Runs <paramref name="models"/> side by side on the same rows, each with its <paramref name="outputs"/> exposed, over
    /// the first batches holding at most <paramref name="maxSamples"/> samples (at least one batch), calling
    /// <paramref name="onBatch"/> with each model's outputs for the batch's real samples.
    /// </summary>
    internal void RunSideBySide(IReadOnlyList<ModelProto> models, IReadOnlyList<IReadOnlyList<string>> outputs, int threads, int maxSamples, TailPolicy tail,
        Action<BatchSlice, IReadOnlyList<InferenceOutputs>> onBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(onBatch);
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), InterOpNumThreads = 1 };
        var runners = new List<OnnxBatchRunner>(models.Count);
        try
        {
            for (var m = 0; m < models.Count; m++)
            {
                runners.Add(OnnxBatchRunner.ForModel(models[m], outputs[m], options, _modelName, Error));
            }

            var feed = new DatasetInference(_reader, runners, _reader.Count, PreferredBatch, tail);
            var batches = Math.Max(1, (Math.Min(maxSamples, feed.Samples) + feed.BatchSize - 1) / feed.BatchSize);
            feed.Run(onBatch, cancellationToken, batches);
        }
        finally
        {
            foreach (var runner in runners)
            {
                runner.Dispose();
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private CompressionException Error(InferenceFailure failure, string reason, Exception? inner) => failure switch
    {
        InferenceFailure.Load => new(DiagnosticCodes.CalibrationFailed, SourceLocation.InFile(Source.Path),
            $"model '{_modelName}': ONNX Runtime cannot load the calibration model: {reason}", inner),
        InferenceFailure.Run => new(DiagnosticCodes.CalibrationFailed, SourceLocation.InFile(Source.Path), $"model '{_modelName}': calibration {reason}", inner),
        _ => new(DiagnosticCodes.CalibrationDataIncompatible, SourceLocation.InFile(Source.Path), $"model '{_modelName}': {reason}", inner),
    };
}
