using CompressionTasks.Manifest;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>A pass catalogue shaped like the engine's, so manifest tests do not depend on which passes exist yet.</summary>
internal static class TestPasses
{
    public static PassCatalog Catalog { get; } = new(
    [
        PassDescriptor.For<QuantizeOptions>("quantize", "Int8 quantization.", _ => new NoOp()),
        PassDescriptor.For<ConvertOptions>("convert", "Precision conversion.", _ => new NoOp(), scalarOption: "to"),
        PassDescriptor.For<PruneOptions>("prune", "Pruning.", _ => new NoOp()),
        PassDescriptor.For<RecoverOptions>("recover", "Recovery without gradients.", _ => new NoOp()),
        PassDescriptor.For<FineTuneOptions>("finetune", "Fine-tuning.", _ => new NoOp()),
        PassDescriptor.For<NoOptions>("fold-batchnorm", "Fold BatchNormalization into convolutions.", _ => new NoOp()),
    ]);

    public enum Mode
    {
        [ManifestName("static")]
        Static,
        [ManifestName("dynamic")]
        Dynamic,
        [ManifestName("weights")]
        Weights,
    }

    public enum Calibration
    {
        [ManifestName("minmax")]
        MinMax,
        [ManifestName("percentile")]
        Percentile,
        [ManifestName("entropy")]
        Entropy,
    }

    public enum Precision
    {
        [ManifestName("fp16")]
        Fp16,
    }

    public enum PruneMethod
    {
        [ManifestName("magnitude")]
        Magnitude,
        [ManifestName("structured")]
        Structured,
    }

    public enum RecoverMethod
    {
        [ManifestName("bn-recalibration")]
        BnRecalibration,
        [ManifestName("bias-correction")]
        BiasCorrection,
        [ManifestName("least-squares")]
        LeastSquares,
    }

    public sealed record QuantizeOptions : IPassOptions
    {
        [PassOption("static, dynamic or weight-only.")]
        public Mode Mode { get; init; }

        [PassOption("Calibration method.")]
        public Calibration Calibration { get; init; }

        [PassOption("Percentile kept.", Minimum = 90, Maximum = 100)]
        public double? Percentile { get; init; }

        [PassOption("Per-channel weights.")]
        public bool PerChannel { get; init; } = true;

        [PassOption("7-bit weights.")]
        public bool ReduceRange { get; init; }

        [PassOption("Nodes kept in fp32.")]
        public IReadOnlyList<string> ExcludeNodes { get; init; } = [];
    }

    public sealed record ConvertOptions : IPassOptions
    {
        [PassOption("Target precision.", Required = true)]
        public Precision To { get; init; }

        [PassOption("Keep fp32 inputs and outputs.")]
        public bool KeepIoTypes { get; init; } = true;
    }

    public sealed record PruneOptions : IPassOptions
    {
        [PassOption("Pruning method.", Required = true)]
        public PruneMethod Method { get; init; }

        [PassOption("Share of channels removed.", Minimum = 0, Maximum = 1)]
        public double? Ratio { get; init; }

        [PassOption("Share of weights zeroed.", Minimum = 0, Maximum = 1)]
        public double? Sparsity { get; init; }

        [PassOption("Kept channel counts rounded to a multiple of this.", Minimum = 1, Maximum = 64)]
        public int RoundTo { get; init; } = 1;
    }

    public sealed record RecoverOptions : IPassOptions
    {
        [PassOption("Recovery method.")]
        public RecoverMethod Method { get; init; }
    }

    public sealed record FineTuneOptions : IPassOptions
    {
        [PassOption("Epochs.", Minimum = 1, Maximum = 1000)]
        public int Epochs { get; init; } = 5;

        [PassOption("Learning rate per epoch.", Minimum = 0)]
        public IReadOnlyList<double>? LearningRates { get; init; }
    }

    public sealed record NoOptions : IPassOptions;

    private sealed class NoOp : ICompressionPass
    {
        public string Name => "no-op";

        public PassResult Apply(OnnxGraph graph, PassContext context) => PassResult.Empty;
    }
}
