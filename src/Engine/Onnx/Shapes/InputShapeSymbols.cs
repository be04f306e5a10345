using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx.Shapes;

/// <summary>
/// Binds the symbolic dimensions (<c>dim_param</c>) of a model's inputs from concrete shapes given by input name (the
/// manifest's <c>inputShapes</c>), for statistics that count per-sample work: a symbol left unbound is taken as 1.
/// </summary>
public static class InputShapeSymbols
{
    /// <summary>Shape-inference options with the symbols of <paramref name="model"/>'s inputs bound from <paramref name="inputShapes"/>, unbound ones as 1.</summary>
    public static ShapeInferenceOptions Options(ModelProto model, IReadOnlyDictionary<string, IReadOnlyList<long>> inputShapes) =>
        new() { Symbols = Bind(model, inputShapes), UnboundSymbolValue = 1 };

    /// <summary>Each symbol that an input with a given shape names, with the dimension given at its position.</summary>
    public static Dictionary<string, long> Bind(ModelProto model, IReadOnlyDictionary<string, IReadOnlyList<long>> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShapes);
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var input in model.Graph.Input)
        {
            if (!inputShapes.TryGetValue(input.Name, out var dims) || input.Type?.TensorType?.Shape is not { } shape)
            {
                continue;
            }

            for (var i = 0; i < Math.Min(dims.Count, shape.Dim.Count); i++)
            {
                if (shape.Dim[i].HasDimParam && shape.Dim[i].DimParam.Length > 0)
                {
                    symbols[shape.Dim[i].DimParam] = dims[i];
                }
            }
        }

        return symbols;
    }
}
