using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Runner.OnnxRuntime;

/// <summary>
/// A small binding of ONNX Runtime's C API at a fixed, low API version, so that the ONNX Runtime builds made for
/// JetPack 4.6 (1.10 to 1.12, API versions 10 to 12) load as well as current ones. The managed package asks the native
/// library for its own API version (31 for 1.31), which older libraries refuse. <c>OrtGetApiBase()->GetApi(version)</c>
/// returns the <c>OrtApi</c> function table; the table only ever grows at its end, so each function's index is fixed
/// (onnxruntime_c_api.h, <c>struct OrtApi</c>) and every function used here exists from API version 10 on.
/// </summary>
public sealed unsafe class OrtCApi
{
    /// <summary>ONNX Runtime 1.10's API version: the lowest the runner asks for.</summary>
    public const uint MinimumApiVersion = 10;

    // Indices into struct OrtApi (onnxruntime_c_api.h), all present since API version 10 or earlier.
    private const int GetErrorMessageIndex = 2;
    private const int CreateEnvIndex = 3;
    private const int CreateSessionIndex = 7;
    private const int RunIndex = 9;
    private const int CreateSessionOptionsIndex = 10;
    private const int SetSessionGraphOptimizationLevelIndex = 23;
    private const int SetIntraOpNumThreadsIndex = 24;
    private const int SessionGetInputCountIndex = 30;
    private const int SessionGetOutputCountIndex = 31;
    private const int SessionGetInputTypeInfoIndex = 33;
    private const int SessionGetInputNameIndex = 36;
    private const int SessionGetOutputNameIndex = 37;
    private const int CreateTensorWithDataAsOrtValueIndex = 49;
    private const int GetTensorMutableDataIndex = 51;
    private const int CastTypeInfoToTensorInfoIndex = 55;
    private const int GetTensorElementTypeIndex = 60;
    private const int GetDimensionsCountIndex = 61;
    private const int GetDimensionsIndex = 62;
    private const int GetTensorShapeElementCountIndex = 64;
    private const int GetTensorTypeAndShapeIndex = 65;
    private const int CreateCpuMemoryInfoIndex = 69;
    private const int AllocatorFreeIndex = 76;
    private const int GetAllocatorWithDefaultOptionsIndex = 78;
    private const int ReleaseEnvIndex = 92;
    private const int ReleaseStatusIndex = 93;
    private const int ReleaseMemoryInfoIndex = 94;
    private const int ReleaseSessionIndex = 95;
    private const int ReleaseValueIndex = 96;
    private const int ReleaseTypeInfoIndex = 98;
    private const int ReleaseTensorTypeAndShapeInfoIndex = 99;
    private const int ReleaseSessionOptionsIndex = 100;
    private const int GetAvailableProvidersIndex = 125;
    private const int ReleaseAvailableProvidersIndex = 126;

    private readonly IntPtr _api;

    private OrtCApi(IntPtr api, uint apiVersion, string version, string libraryPath)
    {
        _api = api;
        ApiVersion = apiVersion;
        Version = version;
        LibraryPath = libraryPath;
    }

    /// <summary>The API version asked for and granted.</summary>
    public uint ApiVersion { get; }

    /// <summary>The library's own version (<c>GetVersionString</c>), e.g. <c>1.10.0</c>.</summary>
    public string Version { get; }

    public string LibraryPath { get; }

    /// <summary>
    /// Loads the library and asks for <paramref name="apiVersion"/>; CMP6006 when the file does not load, exports no
    /// <c>OrtGetApiBase</c>, or is older than that API version.
    /// </summary>
    public static OrtCApi Load(string libraryPath, uint apiVersion = MinimumApiVersion)
    {
        ArgumentNullException.ThrowIfNull(libraryPath);
        var location = SourceLocation.InFile(libraryPath);
        var fullPath = Path.GetFullPath(libraryPath);
        if (!File.Exists(fullPath))
        {
            throw new CompressionException(DiagnosticCodes.RunnerNativeLibraryUnusable, location,
                "no ONNX Runtime native library here; pass --ort-library with the path of libonnxruntime.so for this device (JetPack's ONNX Runtime 1.10 or newer)");
        }

        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(fullPath);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new CompressionException(DiagnosticCodes.RunnerNativeLibraryUnusable, location,
                $"the library does not load on this machine (wrong architecture, or a dependency such as a newer glibc is missing): {FirstLine(ex.Message)}", ex);
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
        {
            throw new CompressionException(DiagnosticCodes.RunnerNativeLibraryUnusable, location, "the library exports no OrtGetApiBase: it is not ONNX Runtime");
        }

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var apiBase = ((delegate* unmanaged[Cdecl]<IntPtr>)getApiBase)();
        var getApi = (delegate* unmanaged[Cdecl]<uint, IntPtr>)Marshal.ReadIntPtr(apiBase, 0);
        var getVersionString = (delegate* unmanaged[Cdecl]<IntPtr>)Marshal.ReadIntPtr(apiBase, IntPtr.Size);
        var version = Marshal.PtrToStringUTF8(getVersionString()) ?? "unknown";
        var api = getApi(apiVersion);
        if (api == IntPtr.Zero)
        {
            throw new CompressionException(DiagnosticCodes.RunnerNativeLibraryUnusable, location,
                $"ONNX Runtime {version} does not offer C API version {apiVersion}; the runner needs ONNX Runtime 1.{apiVersion} or newer");
        }

        return new OrtCApi(api, apiVersion, version, fullPath);
    }

    /// <summary>The execution providers compiled into the library (<c>CPUExecutionProvider</c>, ...).</summary>
    public IReadOnlyList<string> AvailableProviders()
    {
        IntPtr names;
        int count;
        Check(((delegate* unmanaged[Cdecl]<IntPtr*, int*, IntPtr>)Fn(GetAvailableProvidersIndex))(&names, &count));
        try
        {
            var providers = new string[count];
            for (var i = 0; i < count; i++)
            {
                providers[i] = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(names, i * IntPtr.Size)) ?? string.Empty;
            }

            return providers;
        }
        finally
        {
            Check(((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Fn(ReleaseAvailableProvidersIndex))(names, count));
        }
    }

    internal IntPtr CreateEnv(string logId)
    {
        IntPtr env;
        var id = Marshal.StringToCoTaskMemUTF8(logId);
        try
        {
            // ORT_LOGGING_LEVEL_WARNING = 2
            Check(((delegate* unmanaged[Cdecl]<int, IntPtr, IntPtr*, IntPtr>)Fn(CreateEnvIndex))(2, id, &env));
        }
        finally
        {
            Marshal.FreeCoTaskMem(id);
        }

        return env;
    }

    internal IntPtr CreateSessionOptions(int intraOpThreads)
    {
        IntPtr options;
        Check(((delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)Fn(CreateSessionOptionsIndex))(&options));
        // GraphOptimizationLevel ORT_ENABLE_ALL = 99, as the host's sessions use.
        Check(((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Fn(SetSessionGraphOptimizationLevelIndex))(options, 99));
        Check(((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)Fn(SetIntraOpNumThreadsIndex))(options, intraOpThreads));
        return options;
    }

    internal IntPtr CreateSession(IntPtr env, string modelPath, IntPtr options)
    {
        IntPtr session;
        // ORTCHAR_T is char (UTF-8) on Linux.
        var path = Marshal.StringToCoTaskMemUTF8(modelPath);
        try
        {
            Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr*, IntPtr>)Fn(CreateSessionIndex))(env, path, options, &session), modelPath);
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }

        return session;
    }

    internal IntPtr DefaultAllocator()
    {
        IntPtr allocator;
        Check(((delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)Fn(GetAllocatorWithDefaultOptionsIndex))(&allocator));
        return allocator;
    }

    internal int InputCount(IntPtr session) => (int)Count(SessionGetInputCountIndex, session);

    internal int OutputCount(IntPtr session) => (int)Count(SessionGetOutputCountIndex, session);

    internal string InputName(IntPtr session, int index, IntPtr allocator) => Name(SessionGetInputNameIndex, session, index, allocator);

    internal string OutputName(IntPtr session, int index, IntPtr allocator) => Name(SessionGetOutputNameIndex, session, index, allocator);

    /// <summary>An input's element type (ONNXTensorElementDataType) and dims (-1 for a symbolic one).</summary>
    internal (int ElementType, long[] Dims) InputTensorType(IntPtr session, int index)
    {
        IntPtr typeInfo;
        Check(((delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)Fn(SessionGetInputTypeInfoIndex))(session, (nuint)index, &typeInfo));
        try
        {
            IntPtr tensorInfo;
            Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)Fn(CastTypeInfoToTensorInfoIndex))(typeInfo, &tensorInfo));
            if (tensorInfo == IntPtr.Zero)
            {
                return (0, []);
            }

            return TensorType(tensorInfo);
        }
        finally
        {
            ((delegate* unmanaged[Cdecl]<IntPtr, void>)Fn(ReleaseTypeInfoIndex))(typeInfo);
        }
    }

    internal IntPtr CreateCpuMemoryInfo()
    {
        IntPtr info;
        // OrtDeviceAllocator = 0, OrtMemTypeDefault = 0
        Check(((delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr>)Fn(CreateCpuMemoryInfoIndex))(0, 0, &info));
        return info;
    }

    /// <summary>A tensor over caller-owned memory, which must stay pinned and alive as long as the value.</summary>
    internal IntPtr CreateTensor(IntPtr memoryInfo, IntPtr data, long byteLength, long[] dims, int elementType)
    {
        IntPtr value;
        fixed (long* shape = dims)
        {
            Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, long*, nuint, int, IntPtr*, IntPtr>)Fn(CreateTensorWithDataAsOrtValueIndex))(
                memoryInfo, data, (nuint)byteLength, shape, (nuint)dims.Length, elementType, &value));
        }

        return value;
    }

    /// <summary>One run: ORT allocates the outputs into <paramref name="outputs"/>, which the caller releases.</summary>
    internal void Run(IntPtr session, IntPtr[] inputNames, IntPtr[] inputs, IntPtr[] outputNames, IntPtr[] outputs)
    {
        fixed (IntPtr* inNames = inputNames, inValues = inputs, outNames = outputNames, outValues = outputs)
        {
            Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)Fn(RunIndex))(
                session, IntPtr.Zero, inNames, inValues, (nuint)inputs.Length, outNames, (nuint)outputNames.Length, outValues));
        }
    }

    /// <summary>A float32 output's values and dims.</summary>
    internal (float[] Values, long[] Dims) ReadFloatTensor(IntPtr value)
    {
        IntPtr info;
        Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)Fn(GetTensorTypeAndShapeIndex))(value, &info));
        try
        {
            var (elementType, dims) = TensorType(info);
            if (elementType != OrtElementType.Float)
            {
                throw new CompressionException(DiagnosticCodes.OnnxRuntimeCallFailed, SourceLocation.None, $"output element type {elementType} is not float32");
            }

            nuint count;
            Check(((delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)Fn(GetTensorShapeElementCountIndex))(info, &count));
            IntPtr data;
            Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)Fn(GetTensorMutableDataIndex))(value, &data));
            var values = new float[(int)count];
            Marshal.Copy(data, values, 0, values.Length);
            return (values, dims);
        }
        finally
        {
            ((delegate* unmanaged[Cdecl]<IntPtr, void>)Fn(ReleaseTensorTypeAndShapeInfoIndex))(info);
        }
    }

    internal void ReleaseValue(IntPtr value) => Release(ReleaseValueIndex, value);

    internal void ReleaseSession(IntPtr session) => Release(ReleaseSessionIndex, session);

    internal void ReleaseSessionOptions(IntPtr options) => Release(ReleaseSessionOptionsIndex, options);

    internal void ReleaseMemoryInfo(IntPtr info) => Release(ReleaseMemoryInfoIndex, info);

    internal void ReleaseEnv(IntPtr env) => Release(ReleaseEnvIndex, env);

    private (int ElementType, long[] Dims) TensorType(IntPtr tensorInfo)
    {
        int elementType;
        Check(((delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)Fn(GetTensorElementTypeIndex))(tensorInfo, &elementType));
        nuint rank;
        Check(((delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)Fn(GetDimensionsCountIndex))(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims)
        {
            Check(((delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr>)Fn(GetDimensionsIndex))(tensorInfo, d, rank));
        }

        return (elementType, dims);
    }

    private nuint Count(int index, IntPtr session)
    {
        nuint count;
        Check(((delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)Fn(index))(session, &count));
        return count;
    }

    private string Name(int index, IntPtr session, int i, IntPtr allocator)
    {
        IntPtr name;
        Check(((delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, IntPtr*, IntPtr>)Fn(index))(session, (nuint)i, allocator, &name));
        try
        {
            return Marshal.PtrToStringUTF8(name) ?? string.Empty;
        }
        finally
        {
            Check(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr>)Fn(AllocatorFreeIndex))(allocator, name));
        }
    }

    private void Release(int index, IntPtr handle)
    {
        if (handle != IntPtr.Zero)
        {
            ((delegate* unmanaged[Cdecl]<IntPtr, void>)Fn(index))(handle);
        }
    }

    private IntPtr Fn(int index) => Marshal.ReadIntPtr(_api, index * IntPtr.Size);

    /// <summary>A non-null OrtStatus is an error: its message becomes CMP6013, and the status is released.</summary>
    private void Check(IntPtr status, string? file = null)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)Fn(GetErrorMessageIndex))(status)) ?? "unknown error";
        ((delegate* unmanaged[Cdecl]<IntPtr, void>)Fn(ReleaseStatusIndex))(status);
        throw new CompressionException(DiagnosticCodes.OnnxRuntimeCallFailed, file is null ? SourceLocation.None : SourceLocation.InFile(file), $"ONNX Runtime {Version}: {message}");
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}

/// <summary>ONNXTensorElementDataType values (onnxruntime_c_api.h).</summary>
public static class OrtElementType
{
    public const int Float = 1;
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int UInt16 = 4;
    public const int Int16 = 5;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
    public const int Float16 = 10;
    public const int Double = 11;

    /// <summary>Bytes per element; 0 for a type the runner does not feed (strings, complex).</summary>
    public static int SizeOf(int elementType) => elementType switch
    {
        UInt8 or Int8 or Bool => 1,
        UInt16 or Int16 or Float16 => 2,
        Float or Int32 => 4,
        Int64 or Double => 8,
        _ => 0,
    };
}
