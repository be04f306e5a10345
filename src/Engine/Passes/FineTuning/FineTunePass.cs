using System.Diagnostics;
using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Training;

namespace CompressionTasks.Passes.FineTuning;

/// <summary>
/// <c>finetune:</c> trains the graph's weights on the manifest's training set (or its calibration set) to win back
/// accuracy lost to compression. The teacher for distillation is the uncompressed model
/// (<see cref="PassContext.Uncompressed"/>), or the graph as this pass receives it when there is none; weights that
/// are exactly zero (pruned) stay zero. Only initializer values change, so later passes, evaluation and
/// measurement see the same graph structure.
/// </summary>
public sealed class FineTunePass(FineTuneOptions options) : ICompressionPass
{
    public const string PassName = "finetune";

    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<FineTuneOptions>(
        PassName,
        "Fine-tune weights on the training (or calibration) set with cross-entropy and/or distillation from the uncompressed model; pruned weights stay zero.",
        o => new FineTunePass(o));

    public string Name => PassName;

    public FineTuneOptions Options { get; } = options;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var data = context.Training ?? context.Calibration
            ?? throw new CompressionException(DiagnosticCodes.TrainingDataMissing, SourceLocation.None with { Element = $"model {context.ModelName}" },
                $"model '{context.ModelName}': finetune needs a training set (models.training) or a calibration set (models.calibration)");

        using var reader = DatasetReader.Open(data);
        if (reader.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.TrainingDataMissing, SourceLocation.InFile(data.Path), $"dataset '{data.Name}' has no samples to train on");
        }

        CheckSampleShape(graph, reader, data);
        var loss = ResolveLoss(reader, data, context.Uncompressed is not null);

        // The uncompressed model teaches when the pipeline kept it; otherwise the graph as it reaches this pass.
        var teacher = loss is FineTuneLoss.Labels ? null
            : TrainingGraph<float>.Build(OnnxGraph.Import(context.Uncompressed ?? graph.Export()));
        var student = TrainingGraph<float>.Build(graph, new TrainingGraphOptions { FreezeBatchNorm = Options.FreezeBatchNorm, FakeQuantize = Options.QuantizationAware, FakeQuantizePerChannel = Options.PerChannel, FakeQuantizeReduceRange = Options.ReduceRange });
        var maskedWeights = KeepPrunedWeightsAtZero(student);

        var batchSize = Math.Min(Options.BatchSize, reader.Count);
        var batchesPerEpoch = (reader.Count + batchSize - 1) / batchSize;
        var totalSteps = Options.StepLimit ?? (Options.Epochs * batchesPerEpoch);
        var schedule = new CosineSchedule(Options.ResolvedLearningRate, totalSteps, 0, 0);
        Optimizer<float> optimizer = Options.Optimizer == OptimizerKind.AdamW
            ? new AdamWOptimizer<float>(0.9, 0.999, 1e-8, Options.WeightDecay)
            : new SgdOptimizer<float>(Options.Momentum, Options.WeightDecay);
        var random = new Random(Options.Seed);
        var augmenter = new BatchAugmenter(Options.CropPadding, Options.Flip, random);

        var sampleShape = reader.SampleShape;
        var buffer = new float[batchSize * reader.SampleElements];
        var order = Enumerable.Range(0, reader.Count).ToArray();
        var lossPerEpoch = new List<double>();
        var epochMs = new List<double>();
        var step = 0;
        var samples = 0L;
        var clock = Stopwatch.StartNew();
        while (step < totalSteps)
        {
            var epochClock = Stopwatch.StartNew();
            random.Shuffle(order);
            var epochLoss = 0.0;
            var epochBatches = 0;
            for (var start = 0; start < order.Length && step < totalSteps; start += batchSize)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, order.Length - start);
                if (count < 2 && !Options.FreezeBatchNorm)
                {
                    continue; // batch statistics of a single sample are degenerate
                }

                var labels = ReadBatch(reader, order.AsSpan(start, count), buffer, context.CancellationToken);
                augmenter.Apply(buffer, count, sampleShape);
                var input = new TrainingTensor<float>([count, .. sampleShape], buffer.AsSpan(0, count * reader.SampleElements).ToArray());
                var teacherLogits = teacher?.Forward(input, ForwardMode.Inference);

                student.ZeroGradients();
                var logits = student.Forward(input, ForwardMode.Training);
                var value = Loss(loss, logits, labels, teacherLogits, out var gradient, data);
                if (!double.IsFinite(value))
                {
                    throw new CompressionException(DiagnosticCodes.TrainingDiverged, SourceLocation.None with { Element = $"model {context.ModelName}" },
                        $"model '{context.ModelName}': the fine-tuning loss became {value} at step {step + 1}; lower learningRate (now {Options.ResolvedLearningRate})");
                }

                student.Backward(gradient);
                optimizer.Step(student.Parameters, Options.Schedule == LearningRateSchedule.Constant ? Options.ResolvedLearningRate : schedule.RateAt(step));
                epochLoss += value;
                epochBatches++;
                samples += count;
                step++;
            }

            lossPerEpoch.Add(epochBatches == 0 ? double.NaN : epochLoss / epochBatches);
            epochMs.Add(epochClock.Elapsed.TotalMilliseconds);
            context.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{context.ModelName}: finetune epoch {lossPerEpoch.Count} loss {lossPerEpoch[^1]:F4} ({epochMs[^1] / 1000:F1} s)"));
            if (epochBatches == 0)
            {
                break;
            }
        }

        student.WriteBack();
        var seconds = clock.Elapsed.TotalSeconds;
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset"] = data.Name,
            ["loss"] = ManifestNames.Name(loss),
            ["optimizer"] = ManifestNames.Name(Options.Optimizer),
            ["learningRate"] = Format(Options.ResolvedLearningRate),
            ["epochs"] = Format(lossPerEpoch.Count),
            ["steps"] = Format(step),
            ["samples"] = Format(samples),
            ["lossPerEpoch"] = string.Join(',', lossPerEpoch.Select(l => l.ToString("G5", CultureInfo.InvariantCulture))),
            ["msPerEpoch"] = Format(Math.Round(epochMs.Average(), 1)),
            ["imagesPerSecond"] = Format(Math.Round(samples / Math.Max(seconds, 1e-9), 1)),
            ["trainedTensors"] = Format(student.Parameters.Count),
            ["maskedWeights"] = Format(maskedWeights),
            ["quantizationAware"] = Options.QuantizationAware ? "true" : "false",
        };
        return new PassResult(details, []);
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Weights already exactly zero were pruned; a mask keeps them there through every update.</summary>
    private static long KeepPrunedWeightsAtZero(TrainingGraph<float> student)
    {
        var masked = 0L;
        foreach (var parameter in student.Parameters.Where(p => p.Role == ParameterRole.Weight))
        {
            var zeros = parameter.Value.Data.Count(v => v == 0f);
            if (zeros == 0)
            {
                continue;
            }

            parameter.Mask = Array.ConvertAll(parameter.Value.Data, v => v == 0f ? 0f : 1f);
            masked += zeros;
        }

        return masked;
    }

    /// <summary>The samples must fill the model input's non-batch axes where the model declares them.</summary>
    private static void CheckSampleShape(OnnxGraph graph, DatasetReader reader, DatasetSource data)
    {
        if (graph.Inputs.Count != 1 || graph.Inputs[0].Info?.Type?.TensorType?.Shape is not { } shape)
        {
            return;
        }

        var declared = shape.Dim.Skip(1).Select(d => d.HasDimValue ? (int?)d.DimValue : null).ToArray();
        var fits = declared.Length == reader.SampleShape.Count && declared.Zip(reader.SampleShape).All(p => p.First is null || p.First == p.Second);
        if (!fits)
        {
            throw new CompressionException(DiagnosticCodes.ModelInputMismatch, SourceLocation.InFile(data.Path),
                $"dataset '{data.Name}' gives samples of shape [{string.Join(',', reader.SampleShape)}] but model input '{graph.Inputs[0].Name}' expects " +
                $"[{string.Join(',', declared.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "?"))}] after the batch axis");
        }
    }

    private FineTuneLoss ResolveLoss(DatasetReader reader, DatasetSource data, bool haveUncompressedTeacher)
    {
        // With labels, distilling from the already-compressed graph would only pull it toward its own errors.
        var labelled = reader.Labels is not null;
        var loss = Options.Loss switch
        {
            FineTuneLoss.Auto when labelled => haveUncompressedTeacher ? FineTuneLoss.Mixed : FineTuneLoss.Labels,
            FineTuneLoss.Auto => FineTuneLoss.Distill,
            var l => l,
        };
        if (loss is FineTuneLoss.Labels or FineTuneLoss.Mixed && !labelled)
        {
            throw new CompressionException(DiagnosticCodes.TrainingLabelsMissing, SourceLocation.InFile(data.Path),
                $"dataset '{data.Name}' has no labels; use finetune loss 'distill' (or auto) to train from the uncompressed model");
        }

        return loss;
    }

    private static int[]? ReadBatch(DatasetReader reader, ReadOnlySpan<int> positions, float[] buffer, CancellationToken cancellationToken)
    {
        var elements = reader.SampleElements;
        var labels = reader.Labels is { } all ? new int[positions.Length] : null;
        for (var i = 0; i < positions.Length; i++)
        {
            reader.ReadBatch(positions[i], 1, buffer.AsSpan(i * elements, elements), cancellationToken);
            if (labels is not null)
            {
                labels[i] = reader.Labels![positions[i]];
            }
        }

        return labels;
    }

    private double Loss(FineTuneLoss loss, TrainingTensor<float> logits, int[]? labels, TrainingTensor<float>? teacherLogits, out TrainingTensor<float> gradient, DatasetSource data)
    {
        gradient = TrainingTensor<float>.ZerosLike(logits);
        if (labels is not null && loss is not FineTuneLoss.Distill)
        {
            var classes = logits.Length / logits.Shape[0];
            foreach (var label in labels.Where(l => l < 0 || l >= classes))
            {
                throw new CompressionException(DiagnosticCodes.LabelOutOfRange, SourceLocation.InFile(data.Path),
                    $"dataset '{data.Name}' has label {label} but the model outputs {classes} classes");
            }
        }

        switch (loss)
        {
            case FineTuneLoss.Labels:
                return CrossEntropyLoss.Compute(logits, labels!, gradient);
            case FineTuneLoss.Distill:
                return DistillationLoss.Compute(logits, teacherLogits!, Options.Temperature, gradient);
            default:
                var weight = (float)Options.DistillWeight;
                var ce = CrossEntropyLoss.Compute(logits, labels!, gradient);
                var kdGradient = TrainingTensor<float>.ZerosLike(logits);
                var kd = DistillationLoss.Compute(logits, teacherLogits!, Options.Temperature, kdGradient);
                System.Numerics.Tensors.TensorPrimitives.Multiply(gradient.Data, 1 - weight, gradient.Data);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(kdGradient.Data, weight, gradient.Data, gradient.Data);
                return ((1 - weight) * ce) + (weight * kd);
        }
    }
}
