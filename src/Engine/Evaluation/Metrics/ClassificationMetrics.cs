namespace CompressionTasks.Evaluation.Metrics;

/// <summary>
/// Metrics from per-sample labels and predictions, following the study's definitions (those of scikit-learn's
/// <c>precision_recall_fscore_support</c>): from the confusion matrix, per class c
/// <c>P = TP/(TP+FP)</c>, <c>R = TP/(TP+FN)</c>, <c>F1 = 2PR/(P+R)</c>, each defined as 0 when its denominator is 0
/// (scikit-learn's <c>zero_division=0</c>). Macro averages are the unweighted mean over the classes present, i.e. that
/// occur as a label or as a prediction; weighted averages weight each class by its support (true count), so classes
/// never labelled contribute nothing. F1 is averaged per class, not recomputed from the averaged P and R.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Computes the metrics, confusion matrix and per-class table.</summary>
    /// <param name="labels">True class per sample.</param>
    /// <param name="predicted">Top-1 prediction per sample.</param>
    /// <param name="top5Correct">Whether the label was among the five highest scores, per sample.</param>
    /// <param name="classCount">Number of classes (model outputs); every label and prediction must be below it.</param>
    /// <param name="weights">Optional multiplicity per sample (a bootstrap resample); null means 1 each.</param>
    public static (AccuracyMetrics Metrics, ConfusionMatrix Confusion, IReadOnlyList<ClassMetrics> PerClass) Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<int> predicted,
        IReadOnlyList<bool> top5Correct,
        int classCount,
        IReadOnlyList<string>? classNames = null,
        ReadOnlySpan<int> weights = default)
    {
        if (labels.Count != predicted.Count || labels.Count != top5Correct.Count)
        {
            throw new ArgumentException("Labels, predictions and top-5 flags must have one entry per sample.", nameof(predicted));
        }

        var confusion = new ConfusionMatrix(classCount);
        long total = 0, top1 = 0, top5 = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            if (w == 0)
            {
                continue;
            }

            confusion.Add(labels[i], predicted[i], w);
            total += w;
            if (labels[i] == predicted[i])
            {
                top1 += w;
            }

            if (top5Correct[i])
            {
                top5 += w;
            }
        }

        var perClass = new List<ClassMetrics>();
        double sumP = 0, sumR = 0, sumF = 0, wP = 0, wR = 0, wF = 0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            var support = confusion.RowSum(c);
            var predictedCount = confusion.ColumnSum(c);
            if (support == 0 && predictedCount == 0)
            {
                continue;
            }

            var tp = (double)confusion[c, c];
            var precision = predictedCount == 0 ? 0 : tp / predictedCount;
            var recall = support == 0 ? 0 : tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            present++;
            sumP += precision;
            sumR += recall;
            sumF += f1;
            wP += precision * support;
            wR += recall * support;
            wF += f1 * support;
            var name = classNames is not null && c < classNames.Count ? classNames[c] : null;
            perClass.Add(new ClassMetrics(c, name, 100 * precision, 100 * recall, 100 * f1, (int)support, (int)predictedCount));
        }

        var metrics = new AccuracyMetrics(
            Top1: Percent(top1, total),
            Top5: Percent(top5, total),
            Precision: present == 0 ? 0 : 100 * sumP / present,
            Recall: present == 0 ? 0 : 100 * sumR / present,
            F1: present == 0 ? 0 : 100 * sumF / present,
            WeightedPrecision: total == 0 ? 0 : 100 * wP / total,
            WeightedRecall: total == 0 ? 0 : 100 * wR / total,
            WeightedF1: total == 0 ? 0 : 100 * wF / total,
            Samples: (int)total);
        return (metrics, confusion, perClass);
    }

    private static double Percent(long count, long total) => total == 0 ? 0 : 100.0 * count / total;
}
