namespace CompressionTasks.Manifest.Init;

/// <summary>Where a model's multiply-accumulate work is, which decides the compression variants <c>init</c> proposes.</summary>
public enum ModelArchitecture
{
    /// <summary>The model could not be read, or has no weighted layers.</summary>
    Unknown,

    /// <summary>Most MACs are in convolutions: static int8 (QLinearConv) and channel pruning pay off.</summary>
    Convolutional,

    /// <summary>Most MACs are in MatMul/Gemm: dynamic int8 (MatMulInteger) needs no calibration and pays off.</summary>
    MatMulHeavy,
}
