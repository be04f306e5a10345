using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx;

/// <summary>
/// Every tensor a model stores data for, in a fixed order: initializers, sparse initializer values and indices,
/// and tensors inside node attributes (Constant values), recursing into subgraphs and functions.
/// </summary>
public static class ModelTensors
{
    public static IEnumerable<TensorProto> All(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is not null)
        {
            foreach (var tensor in InGraph(model.Graph))
            {
                yield return tensor;
            }
        }

        foreach (var function in model.Functions)
        {
            foreach (var tensor in InNodes(function.Node))
            {
                yield return tensor;
            }
        }
    }

    public static IEnumerable<TensorProto> InGraph(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var tensor in graph.Initializer)
        {
            yield return tensor;
        }

        foreach (var sparse in graph.SparseInitializer)
        {
            foreach (var tensor in InSparse(sparse))
            {
                yield return tensor;
            }
        }

        foreach (var tensor in InNodes(graph.Node))
        {
            yield return tensor;
        }
    }

    private static IEnumerable<TensorProto> InNodes(IEnumerable<NodeProto> nodes)
    {
        foreach (var node in nodes)
        {
            foreach (var attribute in node.Attribute)
            {
                if (attribute.T is not null)
                {
                    yield return attribute.T;
                }

                foreach (var tensor in attribute.Tensors)
                {
                    yield return tensor;
                }

                foreach (var sparse in attribute.SparseTensors.Append(attribute.SparseTensor).OfType<SparseTensorProto>())
                {
                    foreach (var tensor in InSparse(sparse))
                    {
                        yield return tensor;
                    }
                }

                foreach (var graph in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
                {
                    foreach (var tensor in InGraph(graph))
                    {
                        yield return tensor;
                    }
                }
            }
        }
    }

    private static IEnumerable<TensorProto> InSparse(SparseTensorProto sparse)
    {
        if (sparse.Values is not null)
        {
            yield return sparse.Values;
        }

        if (sparse.Indices is not null)
        {
            yield return sparse.Indices;
        }
    }
}
