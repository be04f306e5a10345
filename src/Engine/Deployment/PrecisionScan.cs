namespace CompressionTasks.Deployment;

/// <summary>A model's precision and what it was read from (for the bundle and the CMP6002 message).</summary>
public sealed record PrecisionScan(ModelPrecision Precision, string Evidence)
{
    public string Name => Precision switch
    {
        ModelPrecision.Int8 => "int8",
        ModelPrecision.Fp16 => "fp16",
        _ => "fp32",
    };
}
