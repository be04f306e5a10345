namespace CompressionTasks.Evaluation.Metrics;

/// <summary>
/// How closely a variant's raw outputs follow the baseline's, for outputs that are not class scores (maps, boxes,
/// sequences): mean cosine per sample, signal-to-quantization-noise ratio over all values in dB (null when the
/// outputs are identical: no noise), and the largest and mean absolute differences.
/// </summary>
public sealed record OutputFitMetrics(double Cosine, double? SqnrDb, double MaxAbsError, double MeanAbsError, int Samples);
