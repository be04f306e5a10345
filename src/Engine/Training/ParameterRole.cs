namespace CompressionTasks.Training;

/// <summary>What a trainable initializer is to its operator, which decides masks and weight decay.</summary>
public enum ParameterRole
{
    /// <summary>A Conv, Gemm or MatMul weight matrix: pruning masks apply to it.</summary>
    Weight,

    /// <summary>A bias, a normalisation scale or shift, or any other trainable vector.</summary>
    Other,
}
