using System.Diagnostics;
using CompressionTasks.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Measurement;

/// <summary>
/// A model loaded into an ORT session with its inputs and outputs bound once (IOBinding), so that
/// <see cref="RunOnce"/> is one inference and nothing else. Loading is split in two timed phases: reading the model
/// file (<see cref="LoadMs"/>) and creating the session from its bytes (<see cref="SessionCreateMs"/>: parse, graph
/// optimization, kernel creation); both are excluded from latency samples.
/// </summary>
public sealed class MeasurementSession : IDisposable
{
    private readonly ConfiguredSessionOptions _options;
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _ownedValues = [];

    private MeasurementSession(string modelPath, ConfiguredSessionOptions options, InferenceSession session, double loadMs, double sessionCreateMs)
    {
        ModelPath = modelPath;
        _options = options;
        _session = session;
        LoadMs = loadMs;
        SessionCreateMs = sessionCreateMs;
        _binding = session.CreateIoBinding();
    }

    public string ModelPath { get; }

    public double LoadMs { get; }

    public double SessionCreateMs { get; }

    public ExecutionProviderSelection Provider => _options.Selection;

    public InferenceSession Session => _session;

    /// <summary>Loads <paramref name="modelPath"/>, creates the session and binds inputs and outputs.</summary>
    /// <param name="configure">Called on the session options before the session is created (e.g. to enable profiling).</param>
    public static MeasurementSession Open(
        string modelPath,
        ExecutionSettings execution,
        MeasurementInputs? inputs = null,
        Action<SessionOptions>? configure = null,
        ExecutionProviderFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(execution);
        var location = SourceLocation.InFile(modelPath);

        var loadStart = Stopwatch.GetTimestamp();
        byte[] modelBytes;
        try
        {
            modelBytes = File.ReadAllBytes(modelPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(DiagnosticCodes.MeasurementSessionFailed, location, $"The model could not be read: {ex.Message}", ex);
        }

        var loadMs = Stopwatch.GetElapsedTime(loadStart).TotalMilliseconds;

        var configured = (factory ?? new ExecutionProviderFactory()).Create(execution, location);
        InferenceSession session;
        double sessionCreateMs;
        try
        {
            configure?.Invoke(configured.Options);
            var createStart = Stopwatch.GetTimestamp();

            session = CreateSession(modelPath, modelBytes, configured.Options);
            sessionCreateMs = Stopwatch.GetElapsedTime(createStart).TotalMilliseconds;
        }
        catch (OnnxRuntimeException ex)
        {
            configured.Dispose();
            throw new CompressionException(DiagnosticCodes.MeasurementSessionFailed, location, $"ONNX Runtime could not create a session: {ex.Message.Trim()}", ex);
        }
        catch
        {
            configured.Dispose();
            throw;
        }

        MeasurementSession opened;
        try
        {
            opened = new MeasurementSession(modelPath, configured, session, loadMs, sessionCreateMs);
        }
        catch
        {
            session.Dispose();
            configured.Dispose();
            throw;
        }

        try
        {
            opened.Bind(inputs ?? MeasurementInputs.Random);
        }
        catch
        {
            opened.Dispose();
            throw;
        }

        return opened;
    }

    /// <summary>One inference on the bound inputs and outputs.</summary>
    public void RunOnce()
    {
        try
        {
            _session.RunWithBinding(_runOptions, _binding);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new CompressionException(DiagnosticCodes.MeasurementInferenceFailed, SourceLocation.InFile(ModelPath), $"Inference failed: {ex.Message.Trim()}", ex);
        }
    }

    /// <summary>The outputs of the last run, in the model's output order (checked by tests; not used while timing).</summary>
    internal float[] ReadOutputAsFloats(int index)
    {
        using var outputs = _binding.GetOutputValues();
        return outputs[index].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        foreach (var value in _ownedValues)
        {
            value.Dispose();
        }

        _session.Dispose();
        _options.Dispose();
    }

    private static InferenceSession CreateSession(string modelPath, byte[] modelBytes, SessionOptions options)
    {
        try
        {
            return new InferenceSession(modelBytes, options);
        }
        catch (OnnxRuntimeException)
        {
            // A model with external data resolves it relative to the model's folder, which a byte array lacks.
            return new InferenceSession(modelPath, options);
        }
    }

    private void Bind(MeasurementInputs inputs)
    {
        if (inputs.Values is not null)
        {
            foreach (var name in _session.InputMetadata.Keys)
            {
                if (!inputs.Values.TryGetValue(name, out var value))
                {
                    throw new CompressionException(DiagnosticCodes.MeasurementInputInvalid, new SourceLocation(ModelPath, Element: name), $"No value was given for model input '{name}'.");
                }

                _binding.BindInput(name, value);
            }
        }
        else
        {
            var generated = InputTensorFactory.Create(_session.InputMetadata, inputs, ModelPath);
            _ownedValues.AddRange(generated.Values);
            foreach (var (name, value) in generated)
            {
                _binding.BindInput(name, value);
            }
        }

        foreach (var (name, metadata) in _session.OutputMetadata)
        {
            if (metadata.IsTensor && !metadata.IsString && metadata.Dimensions.All(d => d > 0))
            {
                var output = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, metadata.ElementDataType, metadata.Dimensions.Select(d => (long)d).ToArray());
                _ownedValues.Add(output);
                _binding.BindOutput(name, output);
            }
            else
            {
                // Shape known only at run time: ORT allocates it on each run from its CPU arena.
                _binding.BindOutputToDevice(name, OrtMemoryInfo.DefaultInstance);
            }
        }
    }
}
