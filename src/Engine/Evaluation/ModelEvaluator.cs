using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;

namespace CompressionTasks.Evaluation;

/// <summary>
/// Runs a classifier over datasets with one ONNX Runtime session per model, reused for every batch and dataset.
/// Streaming: two batch buffers alternate, the next batch is decoded while the current one runs, so memory is bounded
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
        _runner.Bind(reader.SampleShape, data.Name);
        var batch = _runner.FixedBatch ?? _options.BatchSize ?? data.BatchSize ?? EvaluationOptions.DefaultBatchSize;
        var elements = reader.SampleElements;
        var count = reader.Count;
        float[][] buffers = [new float[checked(batch * elements)], new float[checked(Math.Min(batch, Math.Max(0, count - batch)) * elements)]];
        if (_runner.FixedBatch is not null)
        {
            buffers[1] = new float[buffers[0].Length];
        }

        var collector = new PredictionCollector(reader, data, _options.KeepOutputs);
        var pending = count > 0 ? Task.Run(() => reader.ReadBatch(0, Math.Min(batch, count), buffers[0], cancellationToken), cancellationToken) : Task.CompletedTask;
        try
        {
            for (int start = 0, b = 0; start < count; start += batch, b ^= 1)
            {
                pending.GetAwaiter().GetResult();
                cancellationToken.ThrowIfCancellationRequested();
                var samples = Math.Min(batch, count - start);
                var next = start + batch;
                if (next < count)
                {
                    var nextBuffer = buffers[b ^ 1];
                    var nextCount = Math.Min(batch, count - next);
                    pending = Task.Run(() => reader.ReadBatch(next, nextCount, nextBuffer, cancellationToken), cancellationToken);
                }

                var rows = _runner.RowsFor(samples);
                if (rows > samples)
                {
                    // Padding for a fixed batch: zeros, never a previous batch's samples; their outputs are dropped.
                    buffers[b].AsSpan(samples * elements, (rows - samples) * elements).Clear();
                }

                _runner.Run(buffers[b], rows, samples, collector.Add);
                _options.Progress?.Report(new EvaluationProgress(start + samples, count));
            }
        }
        finally
        {
            // A decode still running must not outlive the reader it reads from.
            try
            {
                pending.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Already reported, or superseded by the exception leaving this block.
            }
        }

        return collector.ToResult(ModelPath) with { SkippedFiles = reader.SkippedFiles };
    }

    public void Dispose() => _runner.Dispose();
}
