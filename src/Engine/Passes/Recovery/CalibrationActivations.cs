using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Runs the original and the current (pruned) model side by side on calibration batches, exposing chosen intermediate
/// values as extra graph outputs, and hands each batch's activations to a callback. Only one batch is alive at a time,
/// so the memory a recovery method needs is its own accumulators, never all activations.
/// </summary>
internal sealed class CalibrationActivations : IDisposable
{
    private const int BatchRows = 32;
    private readonly DatasetReader _reader;
    private readonly int _samples;
    private readonly int _threads;
    private readonly string _modelName;

    public CalibrationActivations(DatasetReader reader, int maxSamples, int threads, string modelName)
    {
        _reader = reader;
        _samples = Math.Min(reader.Count, maxSamples);
        _threads = threads;
        _modelName = modelName;
    }

    public int Samples => _samples;

    public void Dispose() => _reader.Dispose();

    /// <summary>For each batch, calls <paramref name="onBatch"/> with the named activations of <paramref name="original"/> and <paramref name="current"/>.</summary>
    public void Run(ModelProto original, IReadOnlyList<string> originalValues, ModelProto current, IReadOnlyList<string> currentValues,
        Action<IReadOnlyDictionary<string, Activation>, IReadOnlyDictionary<string, Activation>> onBatch, CancellationToken cancellationToken)
    {
        using var first = Open(original, originalValues);
        using var second = Open(current, currentValues);
        // A model exported with a fixed batch size takes exactly that many rows; a dynamic batch takes BatchRows.
        var fixedBatch = first.InputMetadata.First().Value.Dimensions is [> 0 and var n, ..] ? n : (int?)null;
        var batchRows = fixedBatch ?? BatchRows;
        var buffer = new float[batchRows * _reader.SampleElements];
        var usable = fixedBatch is { } size ? _samples / size * size : _samples;
        for (var start = 0; start < usable; start += batchRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(batchRows, usable - start);
            _reader.ReadBatch(start, rows, buffer, cancellationToken);
            var a = Execute(first, originalValues, buffer, rows);
            var b = Execute(second, currentValues, buffer, rows);
            onBatch(a, b);
        }
    }

    private InferenceSession Open(ModelProto model, IReadOnlyList<string> values)
    {
        var exposed = model.Clone();
        var existing = exposed.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in values.Where(v => !existing.Contains(v)).Distinct(StringComparer.Ordinal))
        {
            exposed.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        }

        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = _threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            return new InferenceSession(OnnxModelFile.ToBytes(exposed), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CompressionException(DiagnosticCodes.RecoveryRunFailed, SourceLocation.None, $"recover ({_modelName}): ONNX Runtime cannot load the model with its activations exposed: {e.Message}");
        }
    }

    private IReadOnlyDictionary<string, Activation> Execute(InferenceSession session, IReadOnlyList<string> names, float[] buffer, int rows)
    {
        var input = session.InputMetadata.First();
        long[] shape = [rows, .. _reader.SampleShape.Select(d => (long)d)];
        using var tensor = OrtValue.CreateTensorValueFromMemory(buffer.AsMemory(0, rows * _reader.SampleElements).ToArray(), shape);
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [input.Key], [tensor], names.ToArray());
            var activations = new Dictionary<string, Activation>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                var dims = results[i].GetTensorTypeAndShape().Shape;
                activations[names[i]] = new Activation(results[i].GetTensorDataAsSpan<float>().ToArray(), dims);
            }

            return activations;
        }
        catch (OnnxRuntimeException e)
        {
            throw new CompressionException(DiagnosticCodes.RecoveryRunFailed, SourceLocation.None, $"recover ({_modelName}): ONNX Runtime failed on calibration data: {e.Message}");
        }
    }
}
