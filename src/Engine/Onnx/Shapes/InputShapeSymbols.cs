using System.Globalization;
using CompressionTasks.Diagnostics;
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
        new() { Symbols = Bind(model, inputShapes), UnboundSymbolValue = 1, InputShapes = inputShapes };

    /// <summary>
    /// Shape-inference options for passes: the inputs' shapes from <paramref name="inputShapes"/> and their symbols bound,
    /// every other symbol left symbolic (a guess of 1 must not pass for a known spatial size).
    /// </summary>
    public static ShapeInferenceOptions ForPasses(ModelProto model, IReadOnlyDictionary<string, IReadOnlyList<long>> inputShapes) =>
        new() { Symbols = Bind(model, inputShapes), InputShapes = inputShapes };

    /// <summary>Parses <c>NAME=1x3x224x224</c> (or <c>NAME=1,3,224,224</c>); CMP1064 when malformed.</summary>
    public static KeyValuePair<string, IReadOnlyList<long>> Parse(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var equals = argument.LastIndexOf('=');
        var name = equals > 0 ? argument[..equals] : string.Empty;
        var parts = equals > 0 ? argument[(equals + 1)..].Split('x', ',') : [];
        var dims = new List<long>();
        foreach (var part in parts)
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var dim) || dim <= 0)
            {
                dims.Clear();
                break;
            }

            dims.Add(dim);
        }

        if (name.Length == 0 || dims.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.InputShapeArgumentInvalid, SourceLocation.None with { Element = "--input-shape" },
                $"'{argument}' is not NAME=DIMS with positive integer dims (e.g. input=1x3x224x224)");
        }

        return new(name, dims);
    }

    /// <summary>CMP1064 when a given shape names no runtime input of <paramref name="model"/>, or has the wrong rank.</summary>
    public static void CheckNames(ModelProto model, IReadOnlyDictionary<string, IReadOnlyList<long>> inputShapes, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShapes);
        var initializers = new HashSet<string>(model.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var (name, dims) in inputShapes)
        {
            if (!inputs.TryGetValue(name, out var input))
            {
                throw new CompressionException(DiagnosticCodes.InputShapeArgumentInvalid, SourceLocation.InFile(modelPath) with { Element = $"input {name}" },
                    $"the model has no input '{name}'; its inputs are {string.Join(", ", inputs.Keys)}");
            }

            if (input.Type?.TensorType?.Shape is { } shape && shape.Dim.Count != dims.Count)
            {
                throw new CompressionException(DiagnosticCodes.InputShapeArgumentInvalid, SourceLocation.InFile(modelPath) with { Element = $"input {name}" },
                    $"input '{name}' has rank {shape.Dim.Count}; {dims.Count} dims were given");
            }
        }
    }

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
