using CompressionTasks.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// One ONNX Runtime session for one model, reused for every batch. The model's single float input takes a batch of
/// samples on its first axis: a symbolic first dimension accepts any batch size, a fixed one (often 1) is filled with
/// exactly that many samples, the tail padded with zeros and its outputs dropped. Input tensors are OrtValues over
/// caller-owned managed buffers, created once per buffer and batch length, so the hot path allocates no input memory.
/// </summary>
internal sealed class OnnxBatchRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions? _ownedOptions;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private long[] _sampleDims = [];
    private readonly Dictionary<(float[] Buffer, int Rows), OrtValue> _inputs = [];
    private readonly string _modelPath;
    private readonly int[] _inputDims;

    private OnnxBatchRunner(string modelPath, InferenceSession session, SessionOptions? ownedOptions, string inputName, string outputName, int[] inputDims)
    {
        _modelPath = modelPath;
        _session = session;
        _ownedOptions = ownedOptions;
        _inputNames = [inputName];
        _outputNames = [outputName];
        _inputDims = inputDims;
        FixedBatch = inputDims[0] > 0 ? inputDims[0] : null;
    }

    /// <summary>The batch size the model's input fixes, or null when its first dimension is symbolic.</summary>
    public int? FixedBatch { get; }

    public static OnnxBatchRunner Create(string modelPath, EvaluationOptions options)
    {
        if (!File.Exists(modelPath))
        {
            throw new CompressionException(DiagnosticCodes.ModelNotEvaluable, SourceLocation.InFile(modelPath), $"Model '{modelPath}' does not exist.");
        }

        SessionOptions? owned = null;
        InferenceSession? session = null;
        try
        {
            if (options.SessionOptions is null)
            {
                owned = new SessionOptions { IntraOpNumThreads = Math.Max(1, options.IntraOpNumThreads), InterOpNumThreads = 1 };
            }

            session = new InferenceSession(modelPath, options.SessionOptions ?? owned!);
            if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
            {
                throw NotEvaluable(modelPath, $"it has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); evaluation feeds exactly one image tensor");
            }

            var (inputName, input) = session.InputMetadata.First();
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Float)
            {
                throw NotEvaluable(modelPath, $"input '{inputName}' is {input.ElementDataType}, not a float32 tensor");
            }

            var dims = input.Dimensions;
            if (dims.Length < 1)
            {
                throw NotEvaluable(modelPath, $"input '{inputName}' is a scalar; it needs a batch axis");
            }

            var outputName = session.OutputMetadata.Keys.First();
            var runner = new OnnxBatchRunner(modelPath, session, owned, inputName, outputName, dims);
            session = null;
            owned = null;
            return runner;
        }
        catch (OnnxRuntimeException ex)
        {
            throw NotEvaluable(modelPath, $"ONNX Runtime cannot load it: {ex.Message}", ex);
        }
        finally
        {
            session?.Dispose();
            owned?.Dispose();
        }
    }

    /// <summary>
    /// Runs the first <paramref name="rows"/> samples of <paramref name="buffer"/> (unchanged while this call runs) and
    /// hands the outputs of the first <paramref name="samples"/> of them, flattened per sample, to <paramref name="sink"/>.
    /// </summary>
    public void Run(float[] buffer, int rows, int samples, OutputSink sink)
    {
        var input = InputFor(buffer, rows);
        try
        {
            using var results = _session.Run(_runOptions, _inputNames, [input], _outputNames);
            var output = results[0];
            var info = output.GetTensorTypeAndShape();
            if (info.ElementDataType != TensorElementType.Float)
            {
                throw NotEvaluable(_modelPath, $"output '{_outputNames[0]}' is {info.ElementDataType}, not float32");
            }

            var data = output.GetTensorDataAsSpan<float>();
            if (data.Length == 0 || data.Length % rows != 0)
            {
                throw NotEvaluable(_modelPath, $"output '{_outputNames[0]}' has shape [{string.Join(", ", info.Shape)}], which does not split into {rows} samples");
            }

            var perSample = data.Length / rows;
            sink(data[..(perSample * samples)], perSample);
        }
        catch (OnnxRuntimeException ex)
        {
            throw NotEvaluable(_modelPath, $"inference failed: {ex.Message}", ex);
        }
    }

    /// <summary>Rows to put in the buffer for a batch of <paramref name="samples"/>: the fixed batch when the model has one.</summary>
    public int RowsFor(int samples) => FixedBatch ?? samples;

    private OrtValue InputFor(float[] buffer, int rows)
    {
        if (!_inputs.TryGetValue((buffer, rows), out var value))
        {
            var shape = new long[_sampleDims.Length + 1];
            shape[0] = rows;
            _sampleDims.CopyTo(shape, 1);
            var elements = (int)shape.Aggregate(1L, (a, b) => a * b);
            value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, elements), shape);
            _inputs[(buffer, rows)] = value;
        }

        return value;
    }

    /// <summary>Fixes the per-sample input shape for a dataset's samples, checking that they fit the model's input.</summary>
    public void Bind(IReadOnlyList<int> sampleShape, string datasetName)
    {
        foreach (var value in _inputs.Values)
        {
            value.Dispose();
        }

        _inputs.Clear();
        _sampleDims = ResolveSampleDims(_modelPath, _inputNames[0], _inputDims, sampleShape, datasetName);
    }

    private static long[] ResolveSampleDims(string modelPath, string inputName, int[] dims, IReadOnlyList<int> sampleShape, string datasetName)
    {
        var modelSample = dims[1..];
        var sampleElements = sampleShape.Aggregate(1L, (a, b) => a * b);
        var describe = $"input '{inputName}' of '{modelPath}' is [{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}] but dataset '{datasetName}' gives samples of shape [{string.Join(", ", sampleShape)}]";
        if (modelSample.All(d => d > 0))
        {
            // Same element count, other rank (e.g. [8, 8] arrays into a [1, 8, 8] input): a reshape, as both are C-ordered.
            if (modelSample.Aggregate(1L, (a, b) => a * b) != sampleElements)
            {
                throw new CompressionException(DiagnosticCodes.ModelInputMismatch, SourceLocation.InFile(modelPath), describe + ".");
            }

            return modelSample.Select(d => (long)d).ToArray();
        }

        if (modelSample.Length != sampleShape.Count || modelSample.Where((d, i) => d > 0 && d != sampleShape[i]).Any())
        {
            throw new CompressionException(DiagnosticCodes.ModelInputMismatch, SourceLocation.InFile(modelPath), describe + ".");
        }

        return sampleShape.Select(d => (long)d).ToArray();
    }

    private static CompressionException NotEvaluable(string modelPath, string reason, Exception? inner = null) =>
        new(DiagnosticCodes.ModelNotEvaluable, SourceLocation.InFile(modelPath), $"Model '{modelPath}' cannot be evaluated: {reason}.", inner);

    public void Dispose()
    {
        foreach (var value in _inputs.Values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
        _ownedOptions?.Dispose();
    }
}
