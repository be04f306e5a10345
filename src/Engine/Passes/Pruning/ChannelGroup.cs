using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// Channels that must be removed together: the output channels of every Conv that writes them (several when a residual
/// Add joins branches) and, through the dependency graph, every BatchNormalization, depthwise Conv and consumer
/// slice reading them. A group with a blocker (an operator the graph cannot see through, a graph output) is never pruned.
/// </summary>
public sealed class ChannelGroup
{
    internal ChannelGroup(int id, int size)
    {
        Id = id;
        Size = size;
    }

    public int Id { get; }

    public int Size { get; }

    /// <summary>Conv nodes whose output channels are this group's channels.</summary>
    public List<Node> Producers { get; } = [];

    /// <summary>Why the group cannot be pruned, one line per reason, naming the node or value.</summary>
    public List<string> Blockers { get; } = [];

    public bool IsPrunable => Blockers.Count == 0 && Producers.Count > 0;

    public override string ToString() => Producers.Count > 0 ? string.Join("+", Producers.Select(p => p.Name)) : $"group {Id}";
}
