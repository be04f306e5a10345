using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// The documented warning for a static int8 variant that runs slower than its fp32 baseline (CMP2131): int8 that
/// loses time is worth knowing about even with no latency gate, since fp32 islands between int8 kernels (an operator
/// without an int8 kernel, a QuantizeLinear/DequantizeLinear pair around it) can cost more than int8 saves.
/// </summary>
public static class Int8Slowdown
{
    /// <summary>The warning for <paramref name="variant"/> against <paramref name="baseline"/>; null when it does not apply.</summary>
    public static string? Warning(VariantReport variant, VariantReport baseline)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(baseline);
        var isStaticInt8 = variant.Passes?.Any(p => p.Name == "quantize" && p.Details?.GetValueOrDefault("mode") == "static") == true;
        if (!isStaticInt8 || variant.LatencyMs is not { Mean: > 0 } int8 || baseline.LatencyMs is not { Mean: > 0 } fp32 || int8.Mean <= fp32.Mean)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{DiagnosticCodes.StaticInt8SlowerThanFp32.Id}: static int8 is slower than fp32 here ({int8.Mean:0.###} ms against {fp32.Mean:0.###} ms mean, speedup {fp32.Mean / int8.Mean:0.00}x); the profile's fp32 operators between int8 kernels are the usual cause (see docs/errors.md)");
    }
}
