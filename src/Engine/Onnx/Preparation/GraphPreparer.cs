using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Onnx.Preparation;

/// <summary>What <see cref="GraphPreparer.Prepare"/> changed; all zero for a model already in the normal form.</summary>
public sealed record PreparationReport(int ConstantsToInitializers, int IdentitiesRemoved, int NodesFolded)
{
    /// <summary>The opset the model was upgraded from (opsets 7-9: Upsample, BatchNormalization <c>spatial</c>), or null.</summary>
    public long? UpgradedFromOpset { get; init; }

    public bool Changed => ConstantsToInitializers + IdentitiesRemoved + NodesFolded > 0 || UpgradedFromOpset is not null;

    public override string ToString() =>
        (UpgradedFromOpset is { } from ? $"opset {from} upgraded to {OpsetUpgrader.MaxTargetOpset}, " : string.Empty)
        + $"{ConstantsToInitializers} Constant node(s) to initializers, {IdentitiesRemoved} Identity/Dropout node(s) removed, {NodesFolded} constant node(s) folded";
}

/// <summary>
/// Brings graphs from other exporters into the one form the passes expect, in the manner of ONNX Runtime's
/// <c>quant_pre_process</c>: weights stored as Constant nodes become initializers, Identity and inference-mode Dropout
/// nodes go, and subgraphs computed from constants only are folded into initializers (run once by ONNX Runtime). Small
/// scalar constants (Clip bounds, shape pieces) stay as the exporter wrote them, so a model already in the normal form is
/// left exactly as it was and its outputs stay byte-identical.
/// </summary>
public static class GraphPreparer
{
    /// <summary>Models below this opset are upgraded first (to <see cref="OpsetUpgrader.MaxTargetOpset"/>), so passes meet one operator form.</summary>
    public const long UpgradeBelowOpset = 10;

    /// <summary>
    /// Imports and prepares <paramref name="model"/> (left unchanged): a model below opset 10 is upgraded first when every
    /// operator it uses has a newer form (otherwise it stays at its opset, and passes that need a newer one say so).
    /// </summary>
    public static (OnnxGraph Graph, PreparationReport Report) Prepare(ModelProto model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = OnnxGraph.Import(model);
        long? upgradedFrom = null;
        var opset = graph.OpsetVersion();
        if (opset is >= 7 and < UpgradeBelowOpset)
        {
            try
            {
                var upgraded = OnnxGraph.Import(model);
                OpsetUpgrader.Upgrade(upgraded);
                graph = upgraded;
                upgradedFrom = opset;
            }
            catch (CompressionException ex) when (ex.Code == DiagnosticCodes.OpsetUpgradeUnsupported)
            {
                // Kept at its opset: ONNX Runtime runs it, and a pass that needs the newer form refuses it with this code.
            }
        }

        var report = Prepare(graph, cancellationToken) with { UpgradedFromOpset = upgradedFrom };
        return (graph, report);
    }

    public static PreparationReport Prepare(OnnxGraph graph, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var constants = ConstantsToInitializers(graph);
        var identities = RemoveIdentities(graph);
        cancellationToken.ThrowIfCancellationRequested();
        var folded = ConstantFolder.Fold(graph);
        var report = new PreparationReport(constants, identities, folded);
        if (report.Changed)
        {
            graph.Cleanup();
            graph.TopologicalSort();
        }

        return report;
    }

    /// <summary>Floating-point Constant tensors of two or more elements: the weights some exporters write as nodes.</summary>
    private static int ConstantsToInitializers(OnnxGraph graph)
    {
        var count = 0;
        foreach (var node in graph.Nodes.Where(n => n.OpType == "Constant" && n.Domain is "" or "ai.onnx").ToList())
        {
            var output = node.Outputs[0];
            if (output.IsGraphOutput || OnnxGraph.ConstantNodeTensor(node) is not { } tensor || !IsWeight(tensor))
            {
                continue;
            }

            graph.RemoveNode(node);
            graph.SetInitializer(output, tensor.Clone());
            count++;
        }

        return count;
    }

    private static bool IsWeight(TensorProto tensor) =>
        (DataType)tensor.DataType is DataType.Float or DataType.Float16 or DataType.Double or DataType.Bfloat16
        && TensorData.ElementCount(tensor) >= 2;

    /// <summary>Identity, and Dropout whose mask nobody reads (at inference Dropout passes its input through).</summary>
    private static int RemoveIdentities(OnnxGraph graph)
    {
        var count = 0;
        foreach (var node in graph.Nodes.Where(IsPassThrough).ToList())
        {
            var input = node.Inputs[0];
            var output = node.Outputs[0];
            if (graph.IsReadBySubgraph(output))
            {
                continue;
            }

            if (!output.IsGraphOutput)
            {
                graph.RemoveNode(node);
                graph.ReplaceAllUses(output, input);
                count++;
            }
            else if (input.Producer is { } producer && !input.IsGraphOutput && !input.IsGraphInput && !graph.IsReadBySubgraph(input))
            {
                // The graph output keeps its name: its producer writes it directly and every other reader follows.
                graph.RemoveNode(node);
                graph.ReplaceAllUses(input, output);
                graph.SetOutput(producer, producer.Outputs.ToList().IndexOf(input), output);
                count++;
            }
        }

        return count;
    }

    private static bool IsPassThrough(Node node)
    {
        if (node.Domain is not ("" or "ai.onnx") || node.Inputs.Count == 0 || node.Inputs[0].IsEmpty)
        {
            return false;
        }

        return node.OpType switch
        {
            "Identity" => true,
            "Dropout" => node.Outputs.Skip(1).All(o => o.IsEmpty || (o.Consumers.Count == 0 && !o.IsGraphOutput))
                && (node.Inputs.Count < 3 || node.Inputs[2].IsEmpty || IsConstantFalse(node.Inputs[2])),
            _ => false,
        };
    }

    private static bool IsConstantFalse(Value value) =>
        value.Graph.TryGetConstant(value, out var tensor) && TensorData.ReadInt64s(tensor) is [0];
}
