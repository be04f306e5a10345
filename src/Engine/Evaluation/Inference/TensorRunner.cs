using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;
using OrtElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// Runs an in-memory model once on named tensors of any input count, and returns the named outputs as tensors: for
/// constant folding (no inputs at all) and for checking a pass's output against its input. Tensors travel as
/// <see cref="TensorProto"/>s so that any element type the graph carries comes back unchanged.
/// </summary>
public sealed class TensorRunner : IDisposable
{
    private readonly InferenceSession _session;

    private TensorRunner(InferenceSession session) => _session = session;

    /// <summary>The model's runtime inputs as ONNX Runtime sees them: name, element type and dims (-1 where symbolic).</summary>
    public IReadOnlyList<(string Name, OrtElementType ElementType, int[] Dims)> Inputs =>
        [.. _session.InputMetadata.Select(p => (p.Key, p.Value.ElementDataType, p.Value.Dimensions))];

    /// <summary>Loads <paramref name="model"/>; throws <see cref="OnnxRuntimeException"/> when ONNX Runtime refuses it.</summary>
    public static TensorRunner Load(ModelProto model, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bytes = OnnxModelFile.ToBytes(model);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, intraOpThreads),
            InterOpNumThreads = 1,
            // The graph is run as written: ORT's own rewrites must not hide what the check or the fold is about.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            // A session here runs once or twice and is disposed: the CPU arena and the memory pattern only pay off over
            // many runs, and keep a large model's peak activations reserved until the session goes.
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        };
        return new TensorRunner(new InferenceSession(bytes, options));
    }

    /// <summary>Runs once; the outputs come back in the order of <paramref name="outputs"/>, each named as asked.</summary>
    public IReadOnlyList<TensorProto> Run(IReadOnlyDictionary<string, TensorProto> feeds, IReadOnlyList<string> outputs)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        ArgumentNullException.ThrowIfNull(outputs);
        var inputValues = new List<OrtValue>();
        try
        {
            var names = new List<string>();
            foreach (var (name, tensor) in feeds)
            {
                names.Add(name);
                inputValues.Add(ToOrt(tensor));
            }

            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, names, inputValues, outputs);
            return [.. results.Select((r, i) => FromOrt(outputs[i], r))];
        }
        finally
        {
            foreach (var value in inputValues)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private static OrtValue ToOrt(TensorProto tensor)
    {
        var dims = tensor.Dims.ToArray();
        return (DataType)tensor.DataType switch
        {
            DataType.Float => OrtValue.CreateTensorValueFromMemory(TensorData.ReadFloats(tensor), dims),
            DataType.Double => OrtValue.CreateTensorValueFromMemory(TensorData.ReadDoubles(tensor), dims),
            DataType.Int64 => OrtValue.CreateTensorValueFromMemory(TensorData.ReadInt64s(tensor), dims),
            DataType.Int32 => OrtValue.CreateTensorValueFromMemory(TensorData.ReadInt32s(tensor), dims),
            DataType.Bool => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(TensorData.ReadInt64s(tensor), v => v != 0), dims),
            _ => throw new NotSupportedException($"tensor '{tensor.Name}' of type {TensorElementType.Name(tensor.DataType)} cannot be fed here"),
        };
    }

    private static TensorProto FromOrt(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var dims = info.Shape;
        return info.ElementDataType switch
        {
            OrtElementType.Float => TensorData.Create<float>(name, dims, value.GetTensorDataAsSpan<float>()),
            OrtElementType.Double => TensorData.Create<double>(name, dims, value.GetTensorDataAsSpan<double>()),
            OrtElementType.Float16 => TensorData.Create<Half>(name, dims, System.Runtime.InteropServices.MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>())),
            OrtElementType.Int64 => TensorData.Create<long>(name, dims, value.GetTensorDataAsSpan<long>()),
            OrtElementType.Int32 => TensorData.Create<int>(name, dims, value.GetTensorDataAsSpan<int>()),
            OrtElementType.Int16 => TensorData.Create<short>(name, dims, value.GetTensorDataAsSpan<short>()),
            OrtElementType.Int8 => TensorData.Create<sbyte>(name, dims, value.GetTensorDataAsSpan<sbyte>()),
            OrtElementType.UInt8 => TensorData.Create<byte>(name, dims, value.GetTensorDataAsSpan<byte>()),
            OrtElementType.Bool => TensorData.Create<bool>(name, dims, value.GetTensorDataAsSpan<bool>()),
            _ => throw new NotSupportedException($"output '{name}' of type {info.ElementDataType} cannot be read back here"),
        };
    }
}
