using CompressionTasks.Measurement;

namespace CompressionTasks.Manifest;

/// <summary>
/// A device the models are measured for or deployed to: its CPU architecture, the execution providers it has, and
/// whether its accelerator is fast at fp16 and supports int8 (Jetson TX2's GPU does not: TensorRT 8.2 on sm_62).
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

    /// <summary>NVIDIA Jetson TX2 (JetPack 4.6: CUDA 10.2, TensorRT 8.2, sm_62): fp16 on the GPU, no int8 there.</summary>
    public static TargetProfile JetsonTx2 { get; } = new(
        JetsonTx2Name,
        "NVIDIA Jetson TX2, JetPack 4.6",
        "arm64",
        [ExecutionProviderKind.Cpu, ExecutionProviderKind.Cuda, ExecutionProviderKind.TensorRt],
        Fp16: true,
        Int8: false,
        NativeLibraryPath: null,
        IsBuiltIn: true);

    public static IReadOnlyList<TargetProfile> BuiltIn { get; } = [Host, JetsonTx2];
}
