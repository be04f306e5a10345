using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;

namespace CompressionTasks.Evaluation;

/// <summary>
/// Runs a classifier over datasets with one ONNX Runtime session per model, reused for every batch and dataset, fed by
/// <see cref="DatasetInference"/>: streaming, the next batch decoded while the current one runs, so memory is bounded
/// by two batches (plus the kept outputs) whatever the dataset size.
/// </summary>
public sealed class ModelEvaluator : IDisposable
{
    private readonly OnnxBatchRunner _runner;
    private readonly EvaluationOptions _options;

    public ModelEvaluator(string modelPath, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize is < 1)
        {
            throw new CompressionException(DiagnosticCodes.InvalidEvaluationOptions, SourceLocation.InFile(modelPath), $"Batch size {options.BatchSize} must be at least 1.");
        }

        ModelPath = modelPath;
        _options = options;
        _runner = OnnxBatchRunner.Create(modelPath, options);
    }

    public string ModelPath { get; }

    /// <summary>The batch size the model's input fixes (e.g. 1), or null when it accepts any.</summary>
    public int? FixedBatchSize => _runner.FixedBatch;

    /// <summary>Evaluates <paramref name="modelPath"/> on <paramref name="data"/> with a session of its own.</summary>
    public static async Task<EvaluationResult> EvaluateAsync(string modelPath, DatasetSource data, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        using var evaluator = new ModelEvaluator(modelPath, options);
        return await evaluator.EvaluateAsync(data, cancellationToken).ConfigureAwait(false);
    }

    public Task<EvaluationResult> EvaluateAsync(DatasetSource data, CancellationToken cancellationToken = default) =>
        Task.Run(() => Evaluate(data, cancellationToken), cancellationToken);

    public EvaluationResult Evaluate(DatasetSource data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.BatchSize is < 1)
        {
            throw new CompressionException(DiagnosticCodes.InvalidEvaluationOptions, SourceLocation.InFile(data.Path), $"Dataset '{data.Name}': batch size {data.BatchSize} must be at least 1.");
        }

        using var reader = DatasetReader.Open(data, _options.DecodeParallelism);
        // Every sample is scored once: a short last batch runs short, or padded for a fixed batch with its padding cut off.
        var feed = new DatasetInference(reader, [_runner], reader.Count, _options.BatchSize ?? data.BatchSize ?? EvaluationOptions.DefaultBatchSize, TailPolicy.ShrinkOrPad);
        var collector = new PredictionCollector(reader, data, _options.KeepOutputs);
        var others = _options.KeepOutputs ? new OtherOutputCollector(reader.Count, _runner.OutputNames) : null;
        feed.Run((batch, outputs) =>
        {
            var output = outputs[0];
            var perSample = output.PerSample(0);
            collector.Add(output[0], perSample);
            others?.Add(output);
            _options.Progress?.Report(new EvaluationProgress(batch.Start + batch.Samples, reader.Count));
        }, cancellationToken);

        return collector.ToResult(ModelPath) with { SkippedFiles = reader.SkippedFiles, OtherOutputs = others?.ToList() ?? [] };
    }

    public void Dispose() => _runner.Dispose();
}
