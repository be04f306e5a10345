using CompressionTasks.Manifest;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes.Folding;

/// <summary>Options of <c>fold</c>: which normalisation to fold into the preceding layer.</summary>
public sealed record BatchNormFoldOptions : IPassOptions
{
    [PassOption("The normalisation to fold.")]
    public FoldedOperator Op { get; init; } = FoldedOperator.BatchNorm;
}

public enum FoldedOperator
{
    [ManifestName("batchnorm")]
    BatchNorm,
}
