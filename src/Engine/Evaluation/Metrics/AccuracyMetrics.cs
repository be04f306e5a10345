namespace CompressionTasks.Evaluation.Metrics;

/// <summary>
/// Classification quality on a labelled set. Every value is a percentage (0..100), as in report.json.
/// Precision, recall and F1 are macro averages (unweighted mean over the classes present, see
/// <see cref="ClassificationMetrics"/>); the <c>Weighted*</c> ones weight each class by its support.
/// </summary>
public sealed record AccuracyMetrics(
    double Top1,
    double Top5,
    double Precision,
    double Recall,
    double F1,
    double WeightedPrecision,
    double WeightedRecall,
    double WeightedF1,
    int Samples);
