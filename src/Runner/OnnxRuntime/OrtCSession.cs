using System.Diagnostics;
using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Runner.OnnxRuntime;

/// <summary>One model input as the session feeds it: name, ONNX element type, concrete dims.</summary>
public sealed record OrtCInput(string Name, int ElementType, IReadOnlyList<long> Dims);

/// <summary>
/// A session opened through <see cref="OrtCApi"/> with its inputs made once (deterministic values: a seeded uniform
/// [0, 1) for float inputs, zeros for the others, concrete shapes from the manifest or 1 for each symbolic dimension),
/// so that <see cref="RunOnce"/> is one inference and releasing its outputs. CPU execution provider, all graph
/// optimizations, as the host measures.
/// </summary>
public sealed class OrtCSession : IDisposable
{
    private const int InputSeed = 20240611;

    private readonly OrtCApi _api;
    private readonly IntPtr _env;
    private readonly IntPtr _options;
    private readonly IntPtr _session;
    private readonly IntPtr _memoryInfo;
    private readonly List<GCHandle> _pinned = [];
    private readonly List<IntPtr> _names = [];
    private readonly IntPtr[] _inputNames;
    private readonly IntPtr[] _inputValues;
    private readonly IntPtr[] _outputNames;
    private readonly IntPtr[] _outputs;
    private readonly float[]?[] _floatInputs;
    private bool _disposed;

    private OrtCSession(OrtCApi api, string modelPath, int intraOpThreads, IReadOnlyDictionary<string, long[]>? shapes)
    {
        _api = api;
        _env = api.CreateEnv("compression-runner");
        _options = api.CreateSessionOptions(intraOpThreads);
        var start = Stopwatch.GetTimestamp();
        _session = api.CreateSession(_env, modelPath, _options);
        SessionCreateMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var allocator = api.DefaultAllocator();
        _memoryInfo = api.CreateCpuMemoryInfo();

        var inputCount = api.InputCount(_session);
        var inputs = new List<OrtCInput>(inputCount);
        _inputNames = new IntPtr[inputCount];
        _inputValues = new IntPtr[inputCount];
        _floatInputs = new float[]?[inputCount];
        var random = new Random(InputSeed);
        for (var i = 0; i < inputCount; i++)
        {
            var name = api.InputName(_session, i, allocator);
            var (elementType, declared) = api.InputTensorType(_session, i);
            var size = OrtElementType.SizeOf(elementType);
            if (size == 0)
            {
                throw new CompressionException(DiagnosticCodes.OnnxRuntimeCallFailed, new SourceLocation(modelPath, Element: name),
                    $"input '{name}' has element type {elementType}, which the runner cannot feed (numeric tensors only)");
            }

            var dims = shapes?.GetValueOrDefault(name) is { } given && given.Length == declared.Length
                ? given
                : declared.Select(d => d < 0 ? 1 : d).ToArray();
            var count = dims.Aggregate(1L, (a, b) => a * b);
            Array data;
            if (elementType == OrtElementType.Float)
            {
                var values = new float[count];
                for (var k = 0; k < values.Length; k++)
                {
                    values[k] = (float)random.NextDouble();
                }

                _floatInputs[i] = values;
                data = values;
            }
            else
            {
                data = new byte[count * size];
            }

            var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
            _pinned.Add(handle);
            _inputValues[i] = api.CreateTensor(_memoryInfo, handle.AddrOfPinnedObject(), count * size, dims, elementType);
            _inputNames[i] = Utf8(name);
            inputs.Add(new OrtCInput(name, elementType, dims));
        }

        Inputs = inputs;
        var outputCount = api.OutputCount(_session);
        _outputNames = new IntPtr[outputCount];
        var outputNames = new List<string>(outputCount);
        for (var i = 0; i < outputCount; i++)
        {
            var name = api.OutputName(_session, i, allocator);
            outputNames.Add(name);
            _outputNames[i] = Utf8(name);
        }

        OutputNames = outputNames;
        _outputs = new IntPtr[outputCount];
    }

    public IReadOnlyList<OrtCInput> Inputs { get; }

    public IReadOnlyList<string> OutputNames { get; }

    public double SessionCreateMs { get; }

    /// <summary>
    /// Opens <paramref name="modelPath"/>; any failure releases what was made and surfaces as CMP6013 with ONNX Runtime's
    /// message.
    /// </summary>
    public static OrtCSession Open(OrtCApi api, string modelPath, int intraOpThreads = 0, IReadOnlyDictionary<string, long[]>? shapes = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(modelPath);
        return new OrtCSession(api, Path.GetFullPath(modelPath), intraOpThreads, shapes);
    }

    /// <summary>The values fed to a float input; null for other element types.</summary>
    public float[]? FloatInput(int index) => _floatInputs[index];

    public void RunOnce()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Array.Clear(_outputs);
        _api.Run(_session, _inputNames, _inputValues, _outputNames, _outputs);
        ReleaseOutputs();
    }

    /// <summary>One run, returning each float32 output's values (for checking against another runtime).</summary>
    public IReadOnlyList<float[]> RunAndReadFloatOutputs()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Array.Clear(_outputs);
        _api.Run(_session, _inputNames, _inputValues, _outputNames, _outputs);
        try
        {
            return _outputs.Select(o => _api.ReadFloatTensor(o).Values).ToArray();
        }
        finally
        {
            ReleaseOutputs();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var value in _inputValues)
        {
            _api.ReleaseValue(value);
        }

        foreach (var handle in _pinned)
        {
            handle.Free();
        }

        foreach (var name in _names)
        {
            Marshal.FreeCoTaskMem(name);
        }

        _api.ReleaseMemoryInfo(_memoryInfo);
        _api.ReleaseSession(_session);
        _api.ReleaseSessionOptions(_options);
        _api.ReleaseEnv(_env);
    }

    private void ReleaseOutputs()
    {
        for (var i = 0; i < _outputs.Length; i++)
        {
            _api.ReleaseValue(_outputs[i]);
            _outputs[i] = IntPtr.Zero;
        }
    }

    private IntPtr Utf8(string text)
    {
        var pointer = Marshal.StringToCoTaskMemUTF8(text);
        _names.Add(pointer);
        return pointer;
    }
}
