namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>Warning: a pass reported a warning without a code of its own (a pass written before coded warnings).</summary>
    public static readonly DiagnosticCode PassWarning = new(2150, "Pass warning");

    /// <summary>Warning: quantization or fp16 conversion kept some nodes in fp32 (unsupported op, type or an exclusion).</summary>
    public static readonly DiagnosticCode KeptInFp32 = new(2151, "Nodes kept in fp32");

    /// <summary>Warning: the accuracy-aware fallback put every candidate back in fp32 and the drop is still above maxDrop.</summary>
    public static readonly DiagnosticCode FallbackMissedMaxDrop = new(2152, "Fallback could not reach maxDrop");

    /// <summary>Warning: fp16 conversion clamped constants beyond the fp16 range (±65504).</summary>
    public static readonly DiagnosticCode Fp16ValuesClamped = new(2153, "Constants clamped to fp16");

    /// <summary>Warning: a BatchNormalization could not be folded into the layer before it.</summary>
    public static readonly DiagnosticCode BatchNormNotFolded = new(2154, "BatchNormalization not folded");

    /// <summary>Warning: structured pruning kept a channel group whole because an operator blocks it.</summary>
    public static readonly DiagnosticCode ChannelGroupKeptWhole = new(2155, "Channel group kept whole");

    /// <summary>Warning: least-squares recovery skipped a layer it cannot refit.</summary>
    public static readonly DiagnosticCode LayerNotRefitted = new(2156, "Layer not refitted");
}
