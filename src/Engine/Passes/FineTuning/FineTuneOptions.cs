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
        new("steps", PassOptionKind.Integer, "Optimiser steps to run instead of whole epochs (0: run `epochs`).") { Minimum = 0, Default = 0L },
        new("batchSize", PassOptionKind.Integer, "Samples per optimiser step.") { Minimum = 1, Default = 32L },
        new("optimizer", PassOptionKind.Choice, "SGD with momentum, or AdamW.") { AllowedValues = ["sgd", "adamw"], Default = "sgd" },
        new("learningRate", PassOptionKind.Number, "Peak learning rate (0: 0.01 for sgd, 0.001 for adamw).") { Minimum = 0, Default = 0.0 },
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

    public static FineTuneOptions From(PassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var steps = (int)options.Integer("steps");
        var learningRate = options.Number("learningRate");
        return new FineTuneOptions
        {
            Epochs = (int)options.Integer("epochs"),
            Steps = steps > 0 ? steps : null,
            BatchSize = (int)options.Integer("batchSize"),
            Optimizer = options.String("optimizer"),
            LearningRate = learningRate > 0 ? learningRate : null,
            Momentum = options.Number("momentum"),
            WeightDecay = options.Number("weightDecay"),
            Schedule = options.String("schedule"),
            Loss = Enum.Parse<FineTuneLoss>(options.String("loss"), ignoreCase: true),
            DistillWeight = options.Number("distillWeight"),
            Temperature = options.Number("temperature"),
            FreezeBatchNorm = options.Boolean("freezeBatchNorm"),
            CropPadding = (int)options.Integer("cropPadding"),
            Flip = options.Boolean("flip"),
            Seed = (int)options.Integer("seed"),
            QuantizationAware = options.Boolean("quantizationAware"),
        };
    }
}
