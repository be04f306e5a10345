using System.Reflection;
using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Runner;

/// <summary>
/// Points the managed ONNX Runtime API's P/Invokes for "onnxruntime" at one native library file. There is no official
/// ONNX Runtime GPU package for linux-arm64, so on a Jetson the library is one built for the board; the resolver must
/// be registered before the first ONNX Runtime call, which is when the runtime binds the import.
/// </summary>
public static class OnnxRuntimeLoader
{
    public const string ImportName = "onnxruntime";

    /// <summary>Registers the resolver and loads the library; returns the ONNX Runtime version it reports.</summary>
    public static string Load(string libraryPath)
    {
        ArgumentNullException.ThrowIfNull(libraryPath);
        var location = SourceLocation.InFile(libraryPath);
        var fullPath = Path.GetFullPath(libraryPath);
        if (!File.Exists(fullPath))
        {
            throw new CompressionException(DiagnosticCodes.RunnerNativeLibraryUnusable, location,
                "no ONNX Runtime native library here; pass --ort-library with the path of libonnxruntime.so built for this device");
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

        // ONNX Runtime registers its own resolver on first use unless told not to; ours must be the only one.
        OrtEnv.DisableDllImportResolver = true;
        NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, assembly, searchPath) => name == ImportName ? handle : IntPtr.Zero);
        try
        {
            return OrtEnv.Instance().GetVersionString();
        }
        catch (Exception ex) when (ex is TypeInitializationException or EntryPointNotFoundException or OnnxRuntimeException or TargetInvocationException)
        {
            var inner = ex.InnerException ?? ex;
            throw new CompressionException(DiagnosticCodes.RunnerNativeLibraryUnusable, location,
                $"ONNX Runtime could not start from this library (it must be 1.31 or newer for this runner's API): {FirstLine(inner.Message)}", ex);
        }
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
