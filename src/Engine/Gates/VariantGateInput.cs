using CompressionTasks.Evaluation;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>What a variant gate judges: the variant as built, evaluated and measured, and the run's baseline variant.</summary>
/// <param name="Evaluation">The variant's per-sample evaluation; null when the model has no dataset or evaluation was off.</param>
/// <param name="Evaluated">Accuracy evaluation ran in this run (false: <c>--no-evaluate</c>).</param>
/// <param name="Measured">Latency and energy measurement ran in this run (false: <c>--no-measure</c>).</param>
public sealed record VariantGateInput(
    string Model,
    VariantReport Variant,
    VariantReport Baseline,
    EvaluationResult? BaselineEvaluation,
    EvaluationResult? Evaluation,
    bool Evaluated,
    bool Measured);
