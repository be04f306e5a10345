using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes.FineTuning;

/// <summary>The <c>finetune:</c> pass's options: their one declaration (see <see cref="PassOptionAttribute"/> and docs/finetuning.md).</summary>
public sealed record FineTuneOptions : IPassOptions
{
    [PassOption("Passes over the training set.", Minimum = 1)]
    public int Epochs { get; init; } = 3;

    /// <summary>Optimiser steps to run instead of whole epochs; 0 runs <see cref="Epochs"/>.</summary>
    [PassOption("Optimiser steps to run instead of whole epochs (0: run `epochs`).", Minimum = 0)]
    public int Steps { get; init; }

    [PassOption("Samples per optimiser step.", Minimum = 1)]
    public int BatchSize { get; init; } = 32;

    [PassOption("SGD with momentum, or AdamW.")]
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Peak learning rate; 0 picks 0.01 for SGD and 0.001 for AdamW.</summary>
    [PassOption("Peak learning rate (0: 0.01 for sgd, 0.001 for adamw).", Minimum = 0)]
    public double LearningRate { get; init; }

    [PassOption("SGD momentum.", Minimum = 0, Maximum = 1)]
    public double Momentum { get; init; } = 0.9;

    [PassOption("L2 decay (sgd) or decoupled decay (adamw).", Minimum = 0)]
    public double WeightDecay { get; init; } = 1e-4;

    [PassOption("Learning-rate schedule over the run.")]
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    [PassOption("Cross-entropy on labels, distillation from the uncompressed model, or both; auto uses both when the data is labelled.")]
    public FineTuneLoss Loss { get; init; } = FineTuneLoss.Auto;

    /// <summary>Weight of the distillation term in <see cref="FineTuneLoss.Mixed"/> (and auto with labels).</summary>
    [PassOption("Weight of the distillation term when both losses are used.", Minimum = 0, Maximum = 1)]
    public double DistillWeight { get; init; } = 0.5;

    [PassOption("Softmax temperature for distillation.", Minimum = 0.1)]
    public double Temperature { get; init; } = 4.0;

    [PassOption("Keep BatchNormalization on its running statistics while training.")]
    public bool FreezeBatchNorm { get; init; }

    /// <summary>Random crop after zero-padding each side by this many pixels; 0 disables it.</summary>
    [PassOption("Random-crop augmentation: pixels of zero padding per side (0 = off).", Minimum = 0)]
    public int CropPadding { get; init; }

    /// <summary>Random horizontal flips; off by default because it changes the meaning of digits and text.</summary>
    [PassOption("Random horizontal-flip augmentation.")]
    public bool Flip { get; init; }

    [PassOption("Seed for shuffling and augmentation.")]
    public int Seed { get; init; }

    /// <summary>Quantization-aware training: fake-quantize Conv/Gemm/MatMul weights and inputs to int8 (straight-through gradients).</summary>
    [PassOption("Train through int8 fake quantization of Conv/Gemm/MatMul weights and inputs; put the pass before static quantization.")]
    public bool QuantizationAware { get; init; }

    [PassOption("With quantizationAware: one weight scale per output channel, as the quantize pass's perChannel (otherwise one per tensor).")]
    public bool PerChannel { get; init; } = true;

    [PassOption("With quantizationAware: 7-bit weights, as the quantize pass's reduceRange.")]
    public bool ReduceRange { get; init; }

    /// <summary>The optimiser steps to run instead of whole epochs; null runs <see cref="Epochs"/>.</summary>
    public int? StepLimit => Steps > 0 ? Steps : null;

    public double ResolvedLearningRate => LearningRate > 0 ? LearningRate : Optimizer == OptimizerKind.AdamW ? 1e-3 : 1e-2;

    public IEnumerable<PassBindingProblem> Check(PassBindingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HasTraining == false && context.HasCalibration == false)
        {
            yield return new PassBindingProblem(DiagnosticCodes.PassNeedsTrainingData,
                $"finetune trains on the model's `training:` dataset (or its `calibration:` one), but {context.ModelLabel} has neither; add `training:` to the model");
        }
    }
}

public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with momentum.</summary>
    [ManifestName("sgd")]
    Sgd,

    [ManifestName("adamw")]
    AdamW,
}

public enum LearningRateSchedule
{
    /// <summary>Anneal to zero over the run.</summary>
    [ManifestName("cosine")]
    Cosine,

    [ManifestName("constant")]
    Constant,
}
