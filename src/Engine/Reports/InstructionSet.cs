using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CompressionTasks.Reports;

/// <summary>
/// The CPU's int8 dot-product instructions, which decide how fast (and how exactly) ONNX Runtime's int8 kernels run:
/// VNNI (AVX-512 or AVX) multiplies u8×s8 into int32 directly; AVX2 and AVX-512 without VNNI go through a 16-bit
/// intermediate (vpmaddubsw) that can saturate, which 7-bit weights (<c>reduceRange</c>) avoid; Arm's dot product
/// (sdot/udot) plays VNNI's part there.
/// </summary>
public sealed record InstructionSet(bool Avx2, bool Avx512, bool Avx512Vnni, bool AvxVnni, bool ArmDotProduct, bool X86)
{
    /// <summary>The machine this process runs on.</summary>
    public static InstructionSet Current { get; } = new(
        System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        Avx512F.IsSupported && Avx512BW.IsSupported,
        Avx512F.IsSupported && CpuIdBit(7, 0, ecx: true, 11),
        System.Runtime.Intrinsics.X86.AvxVnni.IsSupported,
        Dp.IsSupported,
        X86Base.IsSupported);

    /// <summary>
    /// A feature bit of CPUID leaf <paramref name="leaf"/> (.NET has no Avx512Vnni class; AVX512_VNNI is leaf 7, ECX bit 11).
    /// </summary>
    private static bool CpuIdBit(int leaf, int subLeaf, bool ecx, int bit)
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }

        var (_, _, c, d) = X86Base.CpuId(leaf, subLeaf);
        return (((ecx ? c : d) >> bit) & 1) != 0;
    }

    /// <summary>A VNNI or Arm dot-product instruction multiplies int8 without a saturating 16-bit step.</summary>
    public bool HasInt8DotProduct => Avx512Vnni || AvxVnni || ArmDotProduct;

    /// <summary>x86 without VNNI: u8×s8 pairs summed in 16 bits can saturate unless the weights use 7 bits.</summary>
    public bool Int8ProductsCanSaturate => X86 && !Avx512Vnni && !AvxVnni;

    /// <summary>The supported extensions, space-separated, for report.json (e.g. "avx2 avx512 avx512vnni").</summary>
    public override string ToString()
    {
        var names = new List<string>();
        if (Avx2)
        {
            names.Add("avx2");
        }

        if (Avx512)
        {
            names.Add("avx512");
        }

        if (Avx512Vnni)
        {
            names.Add("avx512vnni");
        }

        if (AvxVnni)
        {
            names.Add("avxvnni");
        }

        if (ArmDotProduct)
        {
            names.Add("armdotprod");
        }

        return names.Count == 0 ? "none" : string.Join(' ', names);
    }
}
