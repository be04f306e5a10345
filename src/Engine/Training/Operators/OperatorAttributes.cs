using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>Attribute reads shared by the operators, with the errors a malformed or unsupported node raises.</summary>
internal static class OperatorAttributes
{
    public static int[] Ints(Node node, string name, int count, int fallback)
    {
        var values = node.GetInts(name);
        if (values is null || values.Count == 0)
        {
            return Enumerable.Repeat(fallback, count).ToArray();
        }

        if (values.Count != count)
        {
            throw Unsupported(node, $"attribute '{name}' has {values.Count} values where {count} are expected");
        }

        return values.Select(v => checked((int)v)).ToArray();
    }

    /// <summary>Rejects <c>auto_pad</c> values other than NOTSET/VALID, which would need the input shape to resolve.</summary>
    public static void RequireExplicitPads(Node node)
    {
        var autoPad = node.GetString("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or ""))
        {
            throw Unsupported(node, $"auto_pad '{autoPad}' is not supported for training; export the model with explicit pads");
        }
    }

    public static CompressionException Unsupported(Node node, string message) =>
        new(DiagnosticCodes.TrainingOperatorUnsupported, SourceLocation.None with { Element = $"node {node.Name}" },
            $"{node.OpType} node '{node.Name}': {message}");

    public static void RequireRank<T>(Node node, TrainingTensor<T> tensor, int rank)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (tensor.Rank != rank)
        {
            throw Unsupported(node, $"input of shape {tensor} has rank {tensor.Rank}; training supports rank {rank} here");
        }
    }
}
