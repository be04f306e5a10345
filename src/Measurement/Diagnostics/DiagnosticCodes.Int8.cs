namespace CompressionTasks.Diagnostics;

/// <summary>int8 kernel codes (2130-2139): how the quantized graph will run on the CPU it is measured on.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>Warning: x86 without VNNI sums u8×s8 pairs in 16 bits, which 8-bit weights can saturate.</summary>
    public static readonly DiagnosticCode Int8ProductsMaySaturate = new(2130, "int8 products may saturate on this CPU");

    /// <summary>Warning: a static int8 variant's mean latency is above its fp32 baseline's.</summary>
    public static readonly DiagnosticCode StaticInt8SlowerThanFp32 = new(2131, "Static int8 variant slower than fp32");
}
