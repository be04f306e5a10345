using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// One ONNX Runtime session for one model, reused for every batch of a <see cref="DatasetInference"/> feed. The
/// model's single float input takes a batch of samples on its first axis: a symbolic first dimension accepts any batch
/// size, a fixed one (often 1) takes exactly that many rows (the feed's <see cref="TailPolicy"/> fills a short last
/// batch). Input tensors are OrtValues over the feed's managed buffers, created once per buffer and batch length, so
/// the hot path allocates no input memory. The model comes from a file (evaluation) or from a graph with intermediate
/// values exposed as outputs on a copy (calibration, recovery), never written to disk.
/// </summary>
internal sealed class OnnxBatchRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions? _ownedOptions;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly Dictionary<(float[] Buffer, int Rows), OrtValue> _inputs = [];
    private readonly string _modelName;
    private readonly int[] _inputDims;
    private readonly InferenceErrors _errors;
    private long[] _sampleDims = [];

    private OnnxBatchRunner(string modelName, InferenceSession session, SessionOptions? ownedOptions, string inputName, int[] inputDims, string[] outputNames, InferenceErrors errors)
    {
        _modelName = modelName;
        _session = session;
        _ownedOptions = ownedOptions;
        _inputNames = [inputName];
        _outputNames = outputNames;
        _inputDims = inputDims;
        _errors = errors;
        FixedBatch = inputDims[0] > 0 ? inputDims[0] : null;
    }

    /// <summary>The batch size the model's input fixes, or null when its first dimension is symbolic.</summary>
    public int? FixedBatch { get; }

    /// <summary>The outputs each batch returns, in order.</summary>
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>Evaluation: the model file's first output, failures reported as CMP3012 (and CMP3011 for samples that do not fit).</summary>
    public static OnnxBatchRunner Create(string modelPath, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(modelPath))
        {
            throw new CompressionException(DiagnosticCodes.ModelNotEvaluable, SourceLocation.InFile(modelPath), $"Model '{modelPath}' does not exist.");
        }

        var errors = EvaluationErrors(modelPath);
        var owned = options.SessionOptions is null
            ? new SessionOptions { IntraOpNumThreads = Math.Max(1, options.IntraOpNumThreads), InterOpNumThreads = 1 }
            : null;
        try
        {
            var runner = Open(modelPath, o => new InferenceSession(modelPath, o), options.SessionOptions ?? owned!, owned, session => options.KeepOutputs ? [.. session.OutputMetadata.Keys] : [session.OutputMetadata.Keys.First()], errors);
            owned = null;
            return runner;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="model"/> with <paramref name="outputs"/> exposed as graph outputs (on a copy; existing outputs
    /// may be named too), returned in that order. <paramref name="options"/> stay the caller's and may be disposed once
    /// this returns.
    /// </summary>
    public static OnnxBatchRunner ForModel(ModelProto model, IReadOnlyList<string> outputs, SessionOptions options, string modelName, InferenceErrors errors)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(errors);
        byte[] bytes;
        try
        {
            // Import copies the model, so exposing outputs leaves the caller's model as it was.
            var exposed = OnnxGraph.Import(model);
            exposed.ExposeAsOutputs(outputs);
            bytes = OnnxModelFile.ToBytes(exposed.Export());
        }
        catch (KeyNotFoundException ex)
        {
            throw errors(InferenceFailure.Load, ex.Message, ex);
        }

        string[] names = [.. outputs];
        return Open(modelName, o => new InferenceSession(bytes, o), options, null, _ => names, errors);
    }

    private static OnnxBatchRunner Open(string modelName, Func<SessionOptions, InferenceSession> load, SessionOptions options, SessionOptions? owned,
        Func<InferenceSession, string[]> outputsOf, InferenceErrors errors)
    {
        InferenceSession? session = null;
        try
        {
            try
            {
                session = load(options);
            }
            catch (OnnxRuntimeException ex)
            {
                throw errors(InferenceFailure.Load, ex.Message, ex);
            }

            if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
            {
                throw errors(InferenceFailure.Interface, $"it has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); a dataset feed gives exactly one tensor", null);
            }

            var (inputName, input) = session.InputMetadata.First();
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Float)
            {
                throw errors(InferenceFailure.Interface, $"input '{inputName}' is {input.ElementDataType}, not a float32 tensor", null);
            }

            if (input.Dimensions.Length < 1)
            {
                throw errors(InferenceFailure.Interface, $"input '{inputName}' is a scalar; it needs a batch axis", null);
            }

            var runner = new OnnxBatchRunner(modelName, session, owned, inputName, input.Dimensions, outputsOf(session), errors);
            session = null;
            return runner;
        }
        finally
        {
            session?.Dispose();
        }
    }

    /// <summary>
    /// Runs <see cref="BatchSlice.Rows"/> rows of <paramref name="buffer"/> (unchanged until the outputs are disposed);
    /// the outputs show only the slice's real samples.
    /// </summary>
    public InferenceOutputs Run(float[] buffer, BatchSlice slice)
    {
        var input = InputFor(buffer, slice.Rows);
        try
        {
            var results = _session.Run(_runOptions, _inputNames, [input], _outputNames);
            return new InferenceOutputs(results, _outputNames, slice.Rows, slice.Samples, _errors);
        }
        catch (OnnxRuntimeException ex)
        {
            throw _errors(InferenceFailure.Run, $"inference failed on batch {slice.Index}: {ex.Message}", ex);
        }
    }

    /// <summary>Fixes the per-sample input shape for a dataset's samples, checking that they fit the model's input.</summary>
    public void Bind(IReadOnlyList<int> sampleShape, string datasetName)
    {
        foreach (var value in _inputs.Values)
        {
            value.Dispose();
        }

        _inputs.Clear();
        _sampleDims = ResolveSampleDims(sampleShape, datasetName);
    }

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

    private long[] ResolveSampleDims(IReadOnlyList<int> sampleShape, string datasetName)
    {
        var modelSample = _inputDims[1..];
        var sampleElements = sampleShape.Aggregate(1L, (a, b) => a * b);
        var describe = $"input '{_inputNames[0]}' of '{_modelName}' is [{string.Join(", ", _inputDims.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}] but dataset '{datasetName}' gives samples of shape [{string.Join(", ", sampleShape)}]";
        if (modelSample.All(d => d > 0))
        {
            // Same element count, other rank (e.g. [8, 8] arrays into a [1, 8, 8] input): a reshape, as both are C-ordered.
            if (modelSample.Aggregate(1L, (a, b) => a * b) != sampleElements)
            {
                throw _errors(InferenceFailure.Input, describe, null);
            }

            return modelSample.Select(d => (long)d).ToArray();
        }

        if (modelSample.Length != sampleShape.Count || modelSample.Where((d, i) => d > 0 && d != sampleShape[i]).Any())
        {
            throw _errors(InferenceFailure.Input, describe, null);
        }

        return sampleShape.Select(d => (long)d).ToArray();
    }

    private static InferenceErrors EvaluationErrors(string modelPath) => (failure, reason, inner) => failure switch
    {
        InferenceFailure.Input => new CompressionException(DiagnosticCodes.ModelInputMismatch, SourceLocation.InFile(modelPath), reason + "."),
        InferenceFailure.Load => NotEvaluable(modelPath, $"ONNX Runtime cannot load it: {reason}", inner),
        _ => NotEvaluable(modelPath, reason, inner),
    };

    private static CompressionException NotEvaluable(string modelPath, string reason, Exception? inner) =>
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
