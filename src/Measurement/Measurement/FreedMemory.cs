using System.Runtime;
using System.Runtime.InteropServices;

namespace CompressionTasks.Measurement;

/// <summary>
/// Hands memory that closed sessions freed back to the operating system, so that re-creating sessions between
/// latency epochs does not grow the process: the managed heap is collected (the model files' byte arrays live on
/// the large-object heap, compacted once), then glibc's <c>malloc_trim(0)</c> returns the freed native heap (ONNX
/// Runtime's weights and arenas) that glibc would otherwise keep for reuse. Where there is no glibc it does the first only.
/// </summary>
public static class FreedMemory
{
    private static bool s_trimUnavailable;

    public static void Release()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (!OperatingSystem.IsLinux() || s_trimUnavailable)
        {
            return;
        }

        try
        {
            _ = NativeMethods.malloc_trim(UIntPtr.Zero);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries without malloc_trim.
            s_trimUnavailable = true;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "malloc_trim")]
        public static extern int malloc_trim(UIntPtr pad);
    }
}
