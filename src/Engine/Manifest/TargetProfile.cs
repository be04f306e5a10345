using CompressionTasks.Measurement;

namespace CompressionTasks.Manifest;

/// <summary>
/// A device the models are measured for or deployed to: its CPU architecture, the execution providers it has, and
/// whether its accelerator is fast at fp16 and supports int8 (Jetson TX2's GPU does not: TensorRT 8.0/8.2 on sm_62).
/// </summary>
public sealed record TargetProfile(
    string Name,
    string? Description,
    string Architecture,
    IReadOnlyList<ExecutionProviderKind> ExecutionProviders,
    bool Fp16,
    bool Int8,
    string? NativeLibraryPath,
    bool IsBuiltIn)
{
    /// <summary>The GPU in words (e.g. <c>NVIDIA Pascal, 256 CUDA cores</c>); null when the target has none or it is unknown.</summary>
    public string? Gpu { get; init; }

    /// <summary>The CUDA compute capability as nvcc names it (<c>sm_62</c>); null without a CUDA GPU.</summary>
    public string? CudaArchitecture { get; init; }

    /// <summary>The CPU cores in words (<c>2x Denver2 + 4x Cortex-A57</c>).</summary>
    public string? Cpu { get; init; }

    /// <summary>Memory in bytes; on Jetson boards the CPU and GPU share it.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>True when CPU and GPU share one memory (no host-to-device copies, but one budget for both).</summary>
    public bool SharedMemory { get; init; }

    /// <summary>Precisions the GPU's inference stack runs well, best first (<c>fp16</c>, <c>fp32</c>).</summary>
    public IReadOnlyList<string> GpuPrecisions { get; init; } = [];

    /// <summary>Precisions that run on the CPU with ONNX Runtime's CPU provider.</summary>
    public IReadOnlyList<string> CpuPrecisions { get; init; } = ["fp32", "int8"];

    /// <summary>The newest software stack the board gets (name → version: JetPack, Ubuntu, CUDA, cuDNN, TensorRT).</summary>
    public IReadOnlyDictionary<string, string> StackVersions { get; init; } = new Dictionary<string, string>();

    /// <summary>The board's power monitor rails, in I²C address and channel order; empty when there is no such monitor.</summary>
    public IReadOnlyList<PowerRail> PowerRails { get; init; } = [];

    /// <summary>
    /// The TensorRT versions the board's stock images ship, oldest first; the GPU is driven with their trtexec, not
    /// with ONNX Runtime. Empty when the target has no TensorRT.
    /// </summary>
    public IReadOnlyList<string> TensorRtVersions { get; init; } = [];

    /// <summary>The newest default-domain ONNX opset the target's TensorRT ONNX parser reads; null when not limited.</summary>
    public long? MaxTensorRtOpset { get; init; }

    public const string HostName = "host";
    public const string JetsonTx2Name = "jetson-tx2";

    /// <summary>The machine running the tool, CPU provider only unless a custom profile says more.</summary>
    public static TargetProfile Host { get; } = new(
        HostName,
        "The machine running the tool",
        System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64",
        [ExecutionProviderKind.Cpu],
        Fp16: false,
        Int8: true,
        NativeLibraryPath: null,
        IsBuiltIn: true);

    /// <summary>
    /// NVIDIA Jetson TX2 on JetPack 4.6.x (L4T R32.7, Ubuntu 18.04, glibc 2.27, CUDA 10.2, sm_62): TensorRT 8.0.1 on
    /// JetPack 4.6, 8.2.1 on 4.6.1 and later; fp16 on the GPU, no int8 there. ONNX Runtime's CUDA and TensorRT providers
    /// need CUDA 11 or newer in current releases, so on this board the GPU is measured with trtexec and ONNX Runtime runs
    /// on the CPU (the runner binds the C API at the lowest version it needs, so JetPack's own ONNX Runtime builds load).
    /// </summary>
    public static TargetProfile JetsonTx2 { get; } = new(
        JetsonTx2Name,
        "NVIDIA Jetson TX2, JetPack 4.6.x",
        "arm64",
        [ExecutionProviderKind.Cpu],
        Fp16: true,
        Int8: false,
        NativeLibraryPath: null,
        IsBuiltIn: true)
    {
        Gpu = "NVIDIA Pascal, 256 CUDA cores",
        CudaArchitecture = "sm_62",
        Cpu = "2x Denver2 + 4x Cortex-A57 (arm64)",
        MemoryBytes = 8L * 1024 * 1024 * 1024,
        SharedMemory = true,
        // TensorRT has no int8 kernels for sm_62; fp16 runs about twice as fast as fp32 there.
        GpuPrecisions = ["fp16", "fp32"],
        CpuPrecisions = ["fp32", "int8"],
        StackVersions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["jetpack"] = "4.6.x",
            ["l4t"] = "R32.6.1 (JetPack 4.6), R32.7.x (JetPack 4.6.1+)",
            ["ubuntu"] = "18.04",
            ["glibc"] = "2.27",
            ["cuda"] = "10.2",
            ["cudnn"] = "8.2.1",
            ["tensorrt"] = "8.0.1 (JetPack 4.6), 8.2.1 (JetPack 4.6.1+)",
        },
        TensorRtVersions = ["8.0.1", "8.2.1"],
        // TensorRT 8.0 and 8.2's ONNX parser (onnx-tensorrt 8.x) supports opsets 7 to 13.
        MaxTensorRtOpset = 13,
        PowerRails =
        [
            new("0x40", 0, "VDD_SYS_GPU"),
            new("0x40", 1, "VDD_SYS_SOC"),
            new("0x40", 2, "VDD_4V0_WIFI"),
            new("0x41", 0, "VDD_IN"),
            new("0x41", 1, "VDD_SYS_CPU"),
            new("0x41", 2, "VDD_SYS_DDR"),
        ],
    };

    /// <summary>True when the target has a CUDA-capable GPU: TensorRT on the board, or CUDA providers among its execution providers.</summary>
    public bool HasGpu => TensorRtVersions.Count > 0 || ExecutionProviders.Any(p => p is ExecutionProviderKind.Cuda or ExecutionProviderKind.TensorRt);

    public static IReadOnlyList<TargetProfile> BuiltIn { get; } = [Host, JetsonTx2];
}

/// <summary>One channel of a board's INA3221 power monitor: its I²C address (<c>0x40</c>), channel (0-2) and rail name.</summary>
public sealed record PowerRail(string I2cAddress, int Channel, string Name);
