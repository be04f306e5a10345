using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// The one ONNX Runtime feed over a dataset, shared by evaluation, calibration, recovery and quantization fallback:
/// reads the first <see cref="Samples"/> samples of a reader in batches, runs each batch through one or more models
/// side by side (recovery compares the unpruned and the pruned model on the same rows) and hands their outputs to the
/// caller, one batch alive at a time. The next batch is decoded while the current one runs, so memory is two input
/// batches plus one batch of outputs whatever the dataset size. A short last batch follows the caller's
/// <see cref="TailPolicy"/>; every sample is seen exactly once and padding never reaches the caller.
/// </summary>
internal sealed class DatasetInference
{
    private readonly DatasetReader _reader;
    private readonly IReadOnlyList<OnnxBatchRunner> _models;
    private readonly bool _batchFixed;

    /// <param name="reader">The samples, read from position 0.</param>
    /// <param name="models">The models each batch runs through; they must agree on a fixed batch size if they have one.</param>
    /// <param name="samples">How many of the reader's samples to run (at most its count).</param>
    /// <param name="preferredBatch">Samples per batch when the models' batch dimension is free; a fixed one wins.</param>
    /// <param name="tail">What happens to a last batch shorter than the batch size.</param>
    public DatasetInference(DatasetReader reader, IReadOnlyList<OnnxBatchRunner> models, int samples, int preferredBatch, TailPolicy tail)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfLessThan(models.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(preferredBatch, 1);
        var fixedBatches = models.Select(m => m.FixedBatch).Distinct().ToArray();
        if (fixedBatches.Length != 1)
        {
            throw new ArgumentException($"Models run side by side must take the same batch size, not {string.Join(" and ", fixedBatches.Select(b => b?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"))}.", nameof(models));
        }

        foreach (var model in models)
        {
            model.Bind(reader.SampleShape, reader.Source.Name);
        }

        _reader = reader;
        _models = models;
        _batchFixed = fixedBatches[0] is not null;
        Samples = Math.Clamp(samples, 0, reader.Count);
        BatchSize = fixedBatches[0] ?? preferredBatch;
        Tail = tail;
    }

    public int Samples { get; }

    /// <summary>Rows per batch: the models' fixed batch, or the preferred one.</summary>
    public int BatchSize { get; }

    public TailPolicy Tail { get; }

    /// <summary>The batches <see cref="Run"/> goes through.</summary>
    public IEnumerable<BatchSlice> Batches => BatchSlice.Plan(Samples, BatchSize, _batchFixed, Tail);

    /// <summary>
    /// Runs at most <paramref name="maxBatches"/> batches, calling <paramref name="onBatch"/> with each one's outputs
    /// per model (in the order the models were given); they are valid only during the call.
    /// </summary>
    public void Run(Action<BatchSlice, IReadOnlyList<InferenceOutputs>> onBatch, CancellationToken cancellationToken, int maxBatches = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        var batches = Batches.Take(maxBatches).ToArray();
        if (batches.Length == 0)
        {
            return;
        }

        var elements = _reader.SampleElements;
        float[][] buffers = [new float[checked(BatchSize * elements)], batches.Length > 1 ? new float[checked(BatchSize * elements)] : []];
        var pending = Read(batches[0], buffers[0], cancellationToken);
        try
        {
            for (var i = 0; i < batches.Length; i++)
            {
                pending.GetAwaiter().GetResult();
                cancellationToken.ThrowIfCancellationRequested();
                if (i + 1 < batches.Length)
                {
                    pending = Read(batches[i + 1], buffers[(i + 1) & 1], cancellationToken);
                }

                var batch = batches[i];
                var buffer = buffers[i & 1];
                if (batch.PaddingRows > 0)
                {
                    // Zeros, never a previous batch's samples; their outputs are cut off by InferenceOutputs.
                    buffer.AsSpan(batch.Samples * elements, batch.PaddingRows * elements).Clear();
                }

                var outputs = new List<InferenceOutputs>(_models.Count);
                try
                {
                    foreach (var model in _models)
                    {
                        outputs.Add(model.Run(buffer, batch));
                    }

                    onBatch(batch, outputs);
                }
                finally
                {
                    foreach (var output in outputs)
                    {
                        output.Dispose();
                    }
                }
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
    }

    private Task Read(BatchSlice batch, float[] buffer, CancellationToken cancellationToken) =>
        Task.Run(() => _reader.ReadBatch(batch.Start, batch.Samples, buffer, cancellationToken), cancellationToken);
}
