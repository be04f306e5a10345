namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// A run of channels along a tensor's channel axis that all come from one <see cref="ChannelGroup"/>: channels
/// 0..<see cref="Count"/>-1 of the group, each spread over <see cref="Inner"/> consecutive positions (1 for NCHW
/// activations; H·W after a Flatten, where one channel becomes a block of Gemm columns).
/// </summary>
public sealed record ChannelSegment(int Group, int Count, int Inner)
{
    public int Width => Count * Inner;
}
