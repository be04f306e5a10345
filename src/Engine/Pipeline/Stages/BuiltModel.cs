using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>One model with every selected variant built and evaluated (the baseline first), or reused.</summary>
internal sealed record BuiltModel(PreparedModel Prepared, IReadOnlyList<BuiltVariantResult> Variants)
{
    public ModelEntry Model => Prepared.Model;
}

/// <summary>One variant after <see cref="BuildStage"/> and <see cref="EvaluateStage"/>.</summary>
internal sealed record BuiltVariantResult(VariantReport Report, EvaluationResult? Evaluation, string ModelPath);
