using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Evaluation;

/// <summary>How <see cref="ModelEvaluator"/> runs a model over a dataset.</summary>
public sealed record EvaluationOptions
{
    public const int DefaultBatchSize = 32;

    /// <summary>Samples per inference call; null takes <see cref="DatasetSource.BatchSize"/>, then <see cref="DefaultBatchSize"/>.
    /// Ignored for a model whose batch dimension is fixed: it runs that many samples at a time.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Session options of the caller (execution provider, optimisation level). They are used as given and stay owned
    /// by the caller. When null the evaluator makes CPU options with <see cref="IntraOpNumThreads"/>.
    /// </summary>
    public SessionOptions? SessionOptions { get; init; }

    /// <summary>ONNX Runtime intra-op threads when <see cref="SessionOptions"/> is null; always set explicitly, never ORT's default.</summary>
    public int IntraOpNumThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Bound on parallel image decoding; 0 means the processor count.</summary>
    public int DecodeParallelism { get; init; }

    /// <summary>
    /// Keep every output vector in the result, and run and keep the outputs that are not class scores too; needed for
    /// <see cref="AgreementCalculator"/>'s cosine similarity and <see cref="OutputFitCalculator"/>.
    /// </summary>
    public bool KeepOutputs { get; init; } = true;

    public IProgress<EvaluationProgress>? Progress { get; init; }
}
