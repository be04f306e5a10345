using CompressionTasks.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Measurement;

/// <summary>
/// Builds ONNX Runtime <see cref="SessionOptions"/> for an <see cref="ExecutionSettings"/>: thread counts always set,
/// the GPU providers appended only after their native libraries were found. A provider that is unavailable is
/// CMP4001 naming the missing libraries, or, with <see cref="ExecutionSettings.AllowCpuFallback"/>, a CPU session
/// whose <see cref="ExecutionProviderSelection.FallbackReason"/> says why.
/// </summary>
public sealed class ExecutionProviderFactory
{
    private readonly NativeLibraryProbe? _probe;
    private readonly bool _probeNativeLibraries;

    public ExecutionProviderFactory(NativeLibraryProbe? probe = null)
        : this(probe, probeNativeLibraries: true)
    {
    }

    /// <param name="probeNativeLibraries">False goes straight to ONNX Runtime's registration (tests its own failure path).</param>
    internal ExecutionProviderFactory(NativeLibraryProbe? probe, bool probeNativeLibraries)
    {
        _probe = probe;
        _probeNativeLibraries = probeNativeLibraries;
    }

    /// <summary>The caller owns (disposes) the returned options.</summary>
    public ConfiguredSessionOptions Create(ExecutionSettings settings, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var where = location ?? SourceLocation.None;
        var options = NewCpuOptions(settings);
        if (settings.Provider == ExecutionProviderKind.Cpu)
        {
            return new ConfiguredSessionOptions(options, Selection(settings, ExecutionProviderKind.Cpu, null));
        }

        var failure = TryAppendGpuProvider(options, settings);
        if (failure is null)
        {
            return new ConfiguredSessionOptions(options, Selection(settings, settings.Provider, null));
        }

        options.Dispose();
        if (!settings.AllowCpuFallback)
        {
            throw new CompressionException(DiagnosticCodes.ExecutionProviderUnavailable, where, failure);
        }

        return new ConfiguredSessionOptions(NewCpuOptions(settings), Selection(settings, ExecutionProviderKind.Cpu, failure));
    }

    private string? TryAppendGpuProvider(SessionOptions options, ExecutionSettings settings)
    {
        var name = settings.Provider.ToManifestName();
        var activeProbe = _probe ?? new NativeLibraryProbe([settings.NativeLibraryDirectory]);
        // The probe knows Linux sonames only; elsewhere ORT's own registration error is the message.
        var missing = _probeNativeLibraries && OperatingSystem.IsLinux()
            ? activeProbe.FindMissing(NativeLibraryProbe.RequirementsFor(settings.Provider))
            : [];
        if (missing.Count > 0)
        {
            return $"The {name} execution provider is unavailable: missing {string.Join("; ", missing)}. "
                + "Reference Microsoft.ML.OnnxRuntime.Gpu 1.31.0 with the CUDA 13 runtime, or give the folder of a native ONNX Runtime build with that provider.";
        }

        try
        {
            if (settings.Provider == ExecutionProviderKind.TensorRt)
            {
                options.AppendExecutionProvider_Tensorrt(settings.DeviceId);
            }

            // ORT convention: TensorRT first, CUDA for the nodes TensorRT rejects, CPU last (implicit).
            options.AppendExecutionProvider_CUDA(settings.DeviceId);
            return null;
        }
        catch (OnnxRuntimeException ex)
        {
            return $"The {name} execution provider could not be registered: {ex.Message.Trim()}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"The {name} execution provider could not be registered: {ex.Message.Trim()}";
        }
    }

    private static SessionOptions NewCpuOptions(ExecutionSettings settings)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = settings.ResolvedIntraOpThreads,
            InterOpNumThreads = settings.ResolvedInterOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = settings.DisableGraphOptimizations
                ? GraphOptimizationLevel.ORT_DISABLE_ALL
                : GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        return options;
    }

    private static ExecutionProviderSelection Selection(ExecutionSettings settings, ExecutionProviderKind actual, string? fallbackReason) =>
        new(settings.Provider, actual, settings.ResolvedIntraOpThreads, settings.ResolvedInterOpThreads, fallbackReason);
}
