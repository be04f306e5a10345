namespace CompressionTasks.Deployment;

/// <summary>The numeric precision a model computes in, as deployment cares about it.</summary>
public enum ModelPrecision
{
    Fp32,
    Fp16,
    Int8,
}
