using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// Stores pruned weights as ONNX sparse tensors (COO: the non-zero values and their linear int64 positions).
/// Each weight becomes a <c>Constant</c> node with a <c>sparse_value</c> attribute, the graph-level equivalent of a
/// <c>sparse_initializer</c>: ONNX Runtime turns both into a dense initializer when it loads the model, so the file
/// shrinks but memory and speed in the runtime do not change. With 8-byte indices the file only gets smaller above
/// two-thirds sparsity, so a weight is converted only when that saves bytes.
/// </summary>
public static class SparseWeightStorage
{
    /// <summary>Converts the weights of <paramref name="nodes"/> that are smaller sparse; returns how many were converted.</summary>
    public static int Apply(OnnxGraph graph, IEnumerable<Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(nodes);
        var converted = 0;
        foreach (var node in nodes.ToList())
        {
            var weight = MagnitudePruner.WeightOf(node);
            if (weight.Initializer is not { } tensor || tensor.DataType != 1)
            {
                continue;
            }

            var values = TensorData.ReadFloats(tensor);
            var positions = new List<long>();
            var nonZero = new List<float>();
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] != 0)
                {
                    positions.Add(i);
                    nonZero.Add(values[i]);
                }
            }

            if (nonZero.Count * (sizeof(float) + sizeof(long)) >= values.Length * sizeof(float))
            {
                continue;
            }

            var sparse = new SparseTensorProto
            {
                Values = TensorData.Create<float>(weight.Name + "_values", [nonZero.Count], nonZero.ToArray()),
                Indices = TensorData.Create<long>(weight.Name + "_indices", [positions.Count], positions.ToArray()),
            };
            sparse.Dims.AddRange(tensor.Dims);
            var constant = graph.AddNode("Constant", [], [weight.Name + "_sparse"], graph.UniqueName(node.Name + "_sparse_weight"), index: 0);
            constant.Attributes.Add(new AttributeProto { Name = "sparse_value", Type = AttributeProto.Types.AttributeType.SparseTensor, SparseTensor = sparse });
            graph.SetInput(node, OperatorTraits.Of(node).Weight!.Index, constant.Outputs[0]);
            converted++;
        }

        return converted;
    }
}
