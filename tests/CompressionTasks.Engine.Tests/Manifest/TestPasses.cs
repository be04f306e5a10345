using CompressionTasks.Passes;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>A pass catalogue shaped like the engine's, so manifest tests do not depend on which passes exist yet.</summary>
internal static class TestPasses
{
    public static PassCatalog Catalog { get; } = new(
    [
        new PassDescriptor("quantize", "Int8 quantization.",
        [
            new PassOptionSpec("mode", PassOptionKind.Choice, "static, dynamic or weight-only.") { AllowedValues = ["static", "dynamic", "weights"], Default = "static" },
            new PassOptionSpec("calibration", PassOptionKind.Choice, "Calibration method.") { AllowedValues = ["minmax", "percentile", "entropy"], Default = "minmax" },
            new PassOptionSpec("percentile", PassOptionKind.Number, "Percentile kept.") { Minimum = 90, Maximum = 100 },
            new PassOptionSpec("perChannel", PassOptionKind.Boolean, "Per-channel weights.") { Default = true },
            new PassOptionSpec("excludeNodes", PassOptionKind.StringList, "Nodes kept in fp32."),
        ]),
        new PassDescriptor("convert", "Precision conversion.",
        [
            new PassOptionSpec("to", PassOptionKind.Choice, "Target precision.") { AllowedValues = ["fp16"], Required = true },
            new PassOptionSpec("keepIoTypes", PassOptionKind.Boolean, "Keep fp32 inputs and outputs.") { Default = true },
        ]) { ScalarOption = "to" },
        new PassDescriptor("prune", "Pruning.",
        [
            new PassOptionSpec("method", PassOptionKind.Choice, "Pruning method.") { AllowedValues = ["magnitude", "structured"], Required = true },
            new PassOptionSpec("ratio", PassOptionKind.Number, "Share of channels removed.") { Minimum = 0, Maximum = 1 },
            new PassOptionSpec("sparsity", PassOptionKind.Number, "Share of weights zeroed.") { Minimum = 0, Maximum = 1 },
        ]),
        new PassDescriptor("recover", "Recovery without gradients.",
        [
            new PassOptionSpec("method", PassOptionKind.Choice, "Recovery method.") { AllowedValues = ["bn-recalibration", "bias-correction", "least-squares"], Default = "bn-recalibration" },
        ]),
        new PassDescriptor("finetune", "Fine-tuning.",
        [
            new PassOptionSpec("epochs", PassOptionKind.Integer, "Epochs.") { Minimum = 1, Maximum = 1000, Default = 5L },
            new PassOptionSpec("learningRates", PassOptionKind.NumberList, "Learning rate per epoch.") { Minimum = 0 },
        ]),
        new PassDescriptor("fold-batchnorm", "Fold BatchNormalization into convolutions.", []),
    ]);
}
