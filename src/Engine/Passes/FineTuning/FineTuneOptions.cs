using System.Globalization;

namespace CompressionTasks.Passes.FineTuning;

/// <summary>The <c>finetune:</c> pass's manifest options (see docs/finetuning.md).</summary>
public sealed record FineTuneOptions
{
    public int Epochs { get; init; } = 3;

    /// <summary>Optimiser steps to run instead of whole epochs; null runs <see cref="Epochs"/>.</summary>
    public int? Steps { get; init; }

    public int BatchSize { get; init; } = 32;

    /// <summary><c>sgd</c> (with momentum) or <c>adamw</c>.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>Peak learning rate; null picks 0.01 for SGD and 0.001 for AdamW.</summary>
    public double? LearningRate { get; init; }

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary><c>cosine</c> (anneal to zero over the run) or <c>constant</c>.</summary>
    public string Schedule { get; init; } = "cosine";

    public FineTuneLoss Loss { get; init; } = FineTuneLoss.Auto;

    /// <summary>Weight of the distillation term in <see cref="FineTuneLoss.Mixed"/> (and auto with labels).</summary>
    public double DistillWeight { get; init; } = 0.5;

    public double Temperature { get; init; } = 4.0;

    /// <summary>Keep BatchNormalization on its running statistics while training.</summary>
    public bool FreezeBatchNorm { get; init; }

    /// <summary>Random crop after zero-padding each side by this many pixels; 0 disables it.</summary>
    public int CropPadding { get; init; }

    /// <summary>Random horizontal flips; off by default because it changes the meaning of digits and text.</summary>
    public bool Flip { get; init; }

    public int Seed { get; init; }

    /// <summary>Quantization-aware training: fake-quantize Conv/Gemm/MatMul weights and inputs to int8 (straight-through gradients).</summary>
    public bool QuantizationAware { get; init; }

    public double ResolvedLearningRate => LearningRate ?? (Optimizer == "adamw" ? 1e-3 : 1e-2);

    public static IReadOnlyList<PassOptionSpec> Specs { get; } =
    [
        new("epochs", PassOptionKind.Integer, "Passes over the training set.") { Minimum = 1, Default = 3L },
        new("steps", PassOptionKind.Integer, "Optimiser steps to run instead of whole epochs.") { Minimum = 1 },
        new("batchSize", PassOptionKind.Integer, "Samples per optimiser step.") { Minimum = 1, Default = 32L },
        new("optimizer", PassOptionKind.Choice, "SGD with momentum, or AdamW.") { AllowedValues = ["sgd", "adamw"], Default = "sgd" },
        new("learningRate", PassOptionKind.Number, "Peak learning rate (default 0.01 for sgd, 0.001 for adamw).") { Minimum = 0 },
        new("momentum", PassOptionKind.Number, "SGD momentum.") { Minimum = 0, Maximum = 1, Default = 0.9 },
        new("weightDecay", PassOptionKind.Number, "L2 decay (sgd) or decoupled decay (adamw).") { Minimum = 0, Default = 1e-4 },
        new("schedule", PassOptionKind.Choice, "Learning-rate schedule over the run.") { AllowedValues = ["cosine", "constant"], Default = "cosine" },
        new("loss", PassOptionKind.Choice, "Cross-entropy on labels, distillation from the uncompressed model, or both; auto uses both when the data is labelled.")
        {
            AllowedValues = ["auto", "labels", "distill", "mixed"],
            Default = "auto",
        },
        new("distillWeight", PassOptionKind.Number, "Weight of the distillation term when both losses are used.") { Minimum = 0, Maximum = 1, Default = 0.5 },
        new("temperature", PassOptionKind.Number, "Softmax temperature for distillation.") { Minimum = 0.1, Default = 4.0 },
        new("freezeBatchNorm", PassOptionKind.Boolean, "Keep BatchNormalization on its running statistics while training.") { Default = false },
        new("cropPadding", PassOptionKind.Integer, "Random-crop augmentation: pixels of zero padding per side (0 = off).") { Minimum = 0, Default = 0L },
        new("flip", PassOptionKind.Boolean, "Random horizontal-flip augmentation.") { Default = false },
        new("seed", PassOptionKind.Integer, "Seed for shuffling and augmentation.") { Default = 0L },
        new("quantizationAware", PassOptionKind.Boolean, "Train through int8 fake quantization of Conv/Gemm/MatMul weights and inputs; put the pass before static quantization.")
        {
            Default = false,
        },
    ];

    public static FineTuneOptions From(IReadOnlyDictionary<string, object?> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = new FineTuneOptions();
        return new FineTuneOptions
        {
            Epochs = Int(options, "epochs") ?? defaults.Epochs,
            Steps = Int(options, "steps"),
            BatchSize = Int(options, "batchSize") ?? defaults.BatchSize,
            Optimizer = Text(options, "optimizer") ?? defaults.Optimizer,
            LearningRate = Number(options, "learningRate"),
            Momentum = Number(options, "momentum") ?? defaults.Momentum,
            WeightDecay = Number(options, "weightDecay") ?? defaults.WeightDecay,
            Schedule = Text(options, "schedule") ?? defaults.Schedule,
            Loss = Text(options, "loss") is { } loss ? Enum.Parse<FineTuneLoss>(loss, ignoreCase: true) : defaults.Loss,
            DistillWeight = Number(options, "distillWeight") ?? defaults.DistillWeight,
            Temperature = Number(options, "temperature") ?? defaults.Temperature,
            FreezeBatchNorm = Flag(options, "freezeBatchNorm") ?? defaults.FreezeBatchNorm,
            CropPadding = Int(options, "cropPadding") ?? defaults.CropPadding,
            Flip = Flag(options, "flip") ?? defaults.Flip,
            Seed = Int(options, "seed") ?? defaults.Seed,
            QuantizationAware = Flag(options, "quantizationAware") ?? defaults.QuantizationAware,
        };
    }

    private static object? Get(IReadOnlyDictionary<string, object?> options, string name) => options.GetValueOrDefault(name);

    private static int? Int(IReadOnlyDictionary<string, object?> options, string name) =>
        Get(options, name) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : null;

    private static double? Number(IReadOnlyDictionary<string, object?> options, string name) =>
        Get(options, name) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;

    private static bool? Flag(IReadOnlyDictionary<string, object?> options, string name) =>
        Get(options, name) is { } v ? Convert.ToBoolean(v, CultureInfo.InvariantCulture) : null;

    private static string? Text(IReadOnlyDictionary<string, object?> options, string name) => Get(options, name) as string;
}
