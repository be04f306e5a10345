using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Passes.Quantization.Calibration;

/// <summary>
/// Runs a model on the calibration set, one batch at a time, and hands each requested output to a callback. The
/// model is an in-memory variant (intermediate tensors added as graph outputs), so nothing is written to disk and
/// only one batch of activations is alive at a time.
/// </summary>
public sealed class CalibrationFeed : IDisposable
{
    private const int PreferredBatch = 16;
    private readonly DatasetReader reader;
    private readonly string modelName;

    public CalibrationFeed(DatasetSource source, int maxSamples, string modelName)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.modelName = modelName;
        var limit = Math.Min(source.Limit ?? int.MaxValue, maxSamples);
        reader = DatasetReader.Open(source with { Limit = limit });
        Source = source;
    }

    public DatasetSource Source { get; }

    public int SampleCount => reader.Count;

    /// <summary>
    /// Runs <paramref name="model"/> with <paramref name="outputs"/> added as graph outputs, over at most
    /// <paramref name="maxBatches"/> batches, calling <paramref name="onOutput"/>(batchIndex, outputIndex, data) for each.
    /// </summary>
    public void Run(ModelProto model, IReadOnlyList<string> outputs, int threads, int maxBatches, Action<int, int, ReadOnlySpan<float>> onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(onOutput);
        var probe = WithOutputs(model, outputs);
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(OnnxModelFile.ToBytes(probe), options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new CompressionException(DiagnosticCodes.CalibrationFailed, SourceLocation.InFile(Source.Path),
                $"model '{modelName}': ONNX Runtime cannot load the calibration model: {ex.Message}", ex);
        }

        using (session)
        {
            if (session.InputMetadata.Count != 1)
            {
                throw Incompatible($"the model has {session.InputMetadata.Count} inputs; calibration feeds exactly one");
            }

            var (inputName, input) = session.InputMetadata.First();
            var dims = input.Dimensions.Select(d => (long)d).ToArray();
            var sampleElements = reader.SampleElements;
            var modelSample = dims.Skip(1).All(d => d > 0) ? dims.Skip(1).Aggregate(1L, (a, b) => a * b) : sampleElements;
            if (dims.Length < 1 || modelSample != sampleElements)
            {
                throw Incompatible($"samples of '{Source.Name}' have shape [{string.Join(", ", reader.SampleShape)}] but input '{inputName}' is [{string.Join(", ", dims)}]");
            }

            var batch = dims[0] > 0 ? (int)dims[0] : PreferredBatch;
            var shape = new long[] { batch }.Concat(dims.Skip(1).Select((d, i) => d > 0 ? d : reader.SampleShape[i])).ToArray();
            var buffer = new float[batch * sampleElements];
            using var runOptions = new RunOptions();
            var batchIndex = 0;
            for (var start = 0; start < reader.Count && batchIndex < maxBatches; start += batch, batchIndex++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batch, reader.Count - start);
                reader.ReadBatch(start, count, buffer, cancellationToken);
                var runShape = shape;
                if (count < batch && dims[0] > 0)
                {
                    // A fixed batch is filled by repeating the batch's own samples: a repeat leaves ranges unchanged.
                    for (var row = count; row < batch; row++)
                    {
                        Array.Copy(buffer, (row % count) * sampleElements, buffer, row * sampleElements, sampleElements);
                    }
                }
                else if (count < batch)
                {
                    runShape = [count, .. shape.Skip(1)];
                }

                using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, (int)(runShape.Aggregate(1L, (a, b) => a * b))), runShape);
                IDisposableReadOnlyCollection<OrtValue> results;
                try
                {
                    results = session.Run(runOptions, [inputName], [inputValue], outputs.ToArray());
                }
                catch (OnnxRuntimeException ex)
                {
                    throw new CompressionException(DiagnosticCodes.CalibrationFailed, SourceLocation.InFile(Source.Path),
                        $"model '{modelName}': ONNX Runtime failed on calibration batch {batchIndex}: {ex.Message}", ex);
                }

                using (results)
                {
                    for (var o = 0; o < outputs.Count; o++)
                    {
                        var data = results[o].GetTensorDataAsSpan<float>();
                        onOutput(batchIndex, o, data);
                    }
                }
            }
        }
    }

    public void Dispose() => reader.Dispose();

    private static ModelProto WithOutputs(ModelProto model, IReadOnlyList<string> outputs)
    {
        var probe = model.Clone();
        var existing = new HashSet<string>(probe.Graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var name in outputs.Where(n => !existing.Contains(n)))
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        return probe;
    }

    private CompressionException Incompatible(string why) =>
        new(DiagnosticCodes.CalibrationDataIncompatible, SourceLocation.InFile(Source.Path), $"model '{modelName}': {why}");
}
