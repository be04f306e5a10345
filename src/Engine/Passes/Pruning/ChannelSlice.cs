using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Pruning;

/// <summary>One constant input of a node whose <see cref="Axis"/> follows a channel layout (a weight's rows or columns, a BN parameter).</summary>
public sealed record ChannelSlice(Node Node, int InputIndex, int Axis, IReadOnlyList<ChannelSegment> Layout);
