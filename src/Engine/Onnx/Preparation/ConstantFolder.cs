using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Onnx.Preparation;

/// <summary>
/// Folds nodes whose inputs are all constant (initializers, Constant nodes, or other such nodes) into initializers: the
/// constant part of the graph is cut out as a model without inputs, ONNX Runtime runs it once, and each value the rest
/// of the graph reads becomes an initializer of the same name. Random generators, nodes with subgraphs and operators
/// that only expand a small tensor into a large one (ConstantOfShape, Expand, Tile) are left alone.
/// </summary>
public static class ConstantFolder
{
    private static readonly HashSet<string> NeverFolded = new(StringComparer.Ordinal)
    {
        "Constant", "ConstantOfShape", "Expand", "Tile", "RandomNormal", "RandomUniform", "RandomNormalLike",
        "RandomUniformLike", "Multinomial", "Bernoulli", "If", "Loop", "Scan",
    };

    /// <summary>Returns the number of nodes folded; the folded nodes are left for <see cref="OnnxGraph.Cleanup"/>.</summary>
    public static int Fold(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var constant = new HashSet<Value>(graph.Initializers);
        foreach (var node in graph.Nodes.Where(n => n.OpType == "Constant"))
        {
            constant.UnionWith(node.Outputs);
        }

        var folded = new List<Node>();
        foreach (var node in graph.Nodes)
        {
            if (node.Domain is "" or "ai.onnx" && !NeverFolded.Contains(node.OpType) && node.Inputs.Count > 0
                && node.Inputs.All(i => i.IsEmpty || constant.Contains(i)) && node.Outputs.All(o => !o.IsGraphOutput)
                && !node.Attributes.Any(a => a.G is not null || a.Graphs.Count > 0))
            {
                folded.Add(node);
                constant.UnionWith(node.Outputs);
            }
        }

        if (folded.Count == 0)
        {
            return 0;
        }

        var foldedSet = new HashSet<Node>(folded);
        var boundary = folded.SelectMany(n => n.Outputs)
            .Where(o => !o.IsEmpty && (o.Consumers.Any(c => !foldedSet.Contains(c)) || graph.IsReadBySubgraph(o)))
            .Distinct()
            .ToList();
        if (boundary.Count == 0)
        {
            return 0;
        }

        var types = ShapeInference.Run(graph, ShapeInferenceOptions.Default with { Lenient = true }).ElementTypes;
        if (boundary.Any(v => types.GetValueOrDefault(v) == 0))
        {
            return 0; // a value of unknown type cannot be declared as an output of the cut-out model
        }

        IReadOnlyList<TensorProto> values;
        try
        {
            var cut = graph.Copy();
            cut.Inputs.Clear();
            cut.Outputs.Clear();
            foreach (var value in boundary)
            {
                var copy = cut[value.Name];
                copy.Info = new ValueInfoProto
                {
                    Name = value.Name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = types[value] } },
                };
                cut.Outputs.Add(copy);
            }

            cut.Cleanup();
            using var runner = TensorRunner.Load(cut.Export());
            values = runner.Run(new Dictionary<string, TensorProto>(), [.. boundary.Select(v => v.Name)]);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or NotSupportedException)
        {
            return 0; // ONNX Runtime will compute these at run time as before: folding is an optimisation, not a need
        }

        foreach (var node in folded)
        {
            graph.RemoveNode(node);
        }

        for (var i = 0; i < boundary.Count; i++)
        {
            graph.SetInitializer(boundary[i], values[i]);
        }

        return folded.Count;
    }
}
