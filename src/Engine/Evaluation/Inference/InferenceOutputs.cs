using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// One batch's outputs of one model, showing only the batch's real samples: rows a <see cref="TailPolicy"/> added to
/// fill the batch are cut off here, so no consumer can count them. The data lives in ONNX Runtime's buffers and is
/// valid until this is disposed.
/// </summary>
internal sealed class InferenceOutputs : IDisposable
{
    private readonly IDisposableReadOnlyCollection<OrtValue> _values;
    private readonly IReadOnlyList<string> _names;
    private readonly int _rows;
    private readonly InferenceErrors _errors;
    private readonly OrtTensorTypeAndShapeInfo?[] _info;

    public InferenceOutputs(IDisposableReadOnlyCollection<OrtValue> values, IReadOnlyList<string> names, int rows, int samples, InferenceErrors errors)
    {
        _values = values;
        _names = names;
        _rows = rows;
        Samples = samples;
        _errors = errors;
        _info = new OrtTensorTypeAndShapeInfo?[names.Count];
    }

    /// <summary>Real samples in the batch (the rows run, less padding).</summary>
    public int Samples { get; }

    public int Count => _names.Count;

    /// <summary>Output <paramref name="output"/>'s float data for the real samples, row-major, batch first.</summary>
    public ReadOnlySpan<float> this[int output]
    {
        get
        {
            var data = Data(output);
            return Samples == _rows ? data : data[..(PerSample(output) * Samples)];
        }
    }

    /// <summary>Floats per sample of output <paramref name="output"/>; fails when its data does not split into the rows run.</summary>
    public int PerSample(int output)
    {
        var data = Data(output);
        if (data.Length == 0 || data.Length % _rows != 0)
        {
            throw _errors(InferenceFailure.Run, $"output '{_names[output]}' has shape [{string.Join(", ", Info(output).Shape)}], which does not split into {_rows} samples", null);
        }

        return data.Length / _rows;
    }

    /// <summary>Whether output <paramref name="output"/> is float32 with the batch as its first axis, so it splits per sample.</summary>
    public bool IsPerSampleFloat(int output)
    {
        var info = Info(output);
        return info.ElementDataType == TensorElementType.Float && info.Shape is [var rows, ..] && rows == _rows && info.ElementCount > 0;
    }

    /// <summary>Output <paramref name="output"/>'s dims, the first being the real samples.</summary>
    public long[] ShapeOf(int output)
    {
        var shape = Info(output).Shape;
        if (Samples == _rows)
        {
            return shape;
        }

        if (shape.Length == 0 || shape[0] != _rows)
        {
            throw _errors(InferenceFailure.Run, $"output '{_names[output]}' has shape [{string.Join(", ", shape)}], whose first axis is not the batch of {_rows} rows, so its padding rows cannot be cut off", null);
        }

        shape = (long[])shape.Clone();
        shape[0] = Samples;
        return shape;
    }

    public void Dispose() => _values.Dispose();

    private ReadOnlySpan<float> Data(int output)
    {
        var type = Info(output).ElementDataType;
        if (type != TensorElementType.Float)
        {
            throw _errors(InferenceFailure.Interface, $"output '{_names[output]}' is {type}, not float32", null);
        }

        return _values[output].GetTensorDataAsSpan<float>();
    }

    // One native call per output and batch, however often its data, shape and row size are asked for.
    private OrtTensorTypeAndShapeInfo Info(int output) => _info[output] ??= _values[output].GetTensorTypeAndShape();
}
