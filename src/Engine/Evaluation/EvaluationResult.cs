using CompressionTasks.Evaluation.Metrics;

namespace CompressionTasks.Evaluation;

/// <summary>
/// One model on one dataset. Per-sample vectors are kept (dataset index, prediction, correctness) so that shards of a
/// run merge exactly (<see cref="EvaluationResultMerger"/>) and gates can run paired tests against the baseline.
/// </summary>
/// <param name="ModelPath">The evaluated model file.</param>
/// <param name="DatasetName">The manifest name of the dataset.</param>
/// <param name="ClassCount">Length of each output vector (the number of classes).</param>
/// <param name="SampleIndices">Dataset index of each evaluated sample, ascending.</param>
/// <param name="Labels">True class per sample; null for an unlabelled dataset.</param>
/// <param name="Predicted">Top-1 class per sample (the first maximum on ties).</param>
/// <param name="Correct">Top-1 correctness per sample; null without labels.</param>
/// <param name="Top5Correct">Whether the label ranks among the five highest outputs (ties broken by lower index); null without labels.</param>
/// <param name="Outputs">Output vectors, <paramref name="ClassCount"/> floats per sample back to back; empty when not kept.</param>
/// <param name="Accuracy">Metrics in percent; null without labels.</param>
/// <param name="Confusion">Confusion matrix; null without labels.</param>
/// <param name="PerClass">Per-class precision, recall, F1 and support for the classes present; null without labels.</param>
/// <param name="ClassNames">Class names when the dataset declares them.</param>
public sealed record EvaluationResult(
    string ModelPath,
    string DatasetName,
    int ClassCount,
    IReadOnlyList<int> SampleIndices,
    IReadOnlyList<int>? Labels,
    IReadOnlyList<int> Predicted,
    IReadOnlyList<bool>? Correct,
    IReadOnlyList<bool>? Top5Correct,
    ReadOnlyMemory<float> Outputs,
    AccuracyMetrics? Accuracy,
    ConfusionMatrix? Confusion,
    IReadOnlyList<ClassMetrics>? PerClass,
    IReadOnlyList<string>? ClassNames)
{
    public int Samples => SampleIndices.Count;

    /// <summary>Unreadable files the dataset skipped (manifest <c>maxInvalid</c>); empty when none were.</summary>
    public IReadOnlyList<string> SkippedFiles { get; init; } = [];

    /// <summary>
    /// The outputs that are not class scores, in graph order, when outputs are kept (<see cref="EvaluationOptions.KeepOutputs"/>);
    /// empty otherwise or when every output is class scores.
    /// </summary>
    public IReadOnlyList<KeptOutput> OtherOutputs { get; init; } = [];

    /// <summary>The output vector of the sample at position <paramref name="position"/> (requires kept outputs).</summary>
    public ReadOnlySpan<float> OutputOf(int position) => Outputs.Span.Slice(position * ClassCount, ClassCount);

    /// <summary>Builds a result from per-sample vectors, computing the metrics when labels are present.</summary>
    public static EvaluationResult FromSamples(
        string modelPath,
        string datasetName,
        int classCount,
        IReadOnlyList<int> sampleIndices,
        IReadOnlyList<int>? labels,
        IReadOnlyList<int> predicted,
        IReadOnlyList<bool>? top5Correct,
        ReadOnlyMemory<float> outputs,
        IReadOnlyList<string>? classNames)
    {
        if (labels is null || top5Correct is null)
        {
            return new EvaluationResult(modelPath, datasetName, classCount, sampleIndices, null, predicted, null, null, outputs, null, null, null, classNames);
        }

        var correct = new bool[labels.Count];
        for (var i = 0; i < correct.Length; i++)
        {
            correct[i] = labels[i] == predicted[i];
        }

        var (metrics, confusion, perClass) = ClassificationMetrics.Compute(labels, predicted, top5Correct, classCount, classNames);
        return new EvaluationResult(modelPath, datasetName, classCount, sampleIndices, labels, predicted, correct, top5Correct, outputs, metrics, confusion, perClass, classNames);
    }
}
