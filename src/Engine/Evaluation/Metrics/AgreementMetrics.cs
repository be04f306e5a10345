namespace CompressionTasks.Evaluation.Metrics;

/// <summary>
/// How closely a variant follows the baseline on the same samples, labels not needed:
/// <paramref name="Top1"/> = percentage of samples with the same top-1 class;
/// <paramref name="Cosine"/> = mean cosine similarity of the output vectors (−1..1).
/// </summary>
public sealed record AgreementMetrics(double Top1, double Cosine, int Samples);
