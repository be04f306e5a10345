namespace CompressionTasks.Passes.Recovery;

/// <summary>One batch of one value: row-major data and its dims (batch first).</summary>
internal sealed record Activation(float[] Data, long[] Dims)
{
    public int Channels => Dims.Length > 1 ? (int)Dims[1] : 1;

    /// <summary>Elements per (sample, channel): the spatial size for NCHW, 1 for [N, C].</summary>
    public int Spatial => (int)Dims.Skip(2).Aggregate(1L, (a, b) => a * b);

    public int Batch => (int)Dims[0];
}
