using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Onnx.Shapes;

/// <summary>
/// Infers every value's shape and element type for the operators common in CNNs (see ShapeInference.Operators.cs),
/// folding the small integer tensors that feed shapes (Shape → Gather → Unsqueeze → Concat → Reshape), so that
/// every Conv, Gemm and MatMul output shape is known. Symbolic dims (<c>batch</c>) stay symbols unless bound.
/// Operators it does not model leave their outputs unknown (or as declared in value_info) rather than failing.
/// </summary>
public sealed partial class ShapeInference
{
    /// <summary>Integer tensors up to this many elements are folded; larger ones are data, not shapes.</summary>
    private const int MaxFoldedElements = 64;

    private readonly OnnxGraph _graph;
    private readonly ShapeInferenceOptions _options;
    private readonly Dictionary<Value, TensorShape> _shapes = [];
    private readonly Dictionary<Value, int> _types = [];
    private readonly Dictionary<Value, Dim[]> _folded = [];
    private readonly List<string> _failures = [];
    private readonly long _opset;

    private ShapeInference(OnnxGraph graph, ShapeInferenceOptions options)
    {
        _graph = graph;
        _options = options;
        _opset = graph.OpsetVersion();
    }

    public static ShapeInferenceResult Run(OnnxGraph graph, ShapeInferenceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new ShapeInference(graph, options ?? ShapeInferenceOptions.Default).Infer(cancellationToken);
    }

    private ShapeInferenceResult Infer(CancellationToken cancellationToken)
    {
        foreach (var input in _graph.Inputs)
        {
            if (input.Info?.Type?.TensorType is { } tensorType)
            {
                _types[input] = tensorType.ElemType;
                if (_options.InputShapes.TryGetValue(input.Name, out var given))
                {
                    _shapes[input] = TensorShape.Of([.. given]);
                }
                else if (tensorType.Shape is not null)
                {
                    _shapes[input] = FromProto(tensorType.Shape);
                }
            }
        }

        foreach (var initializer in _graph.Initializers)
        {
            _shapes[initializer] = TensorShape.Of([.. initializer.Initializer!.Dims]);
            _types[initializer] = initializer.Initializer.DataType;
        }

        var unresolved = new List<Node>();
        var done = new HashSet<Node>();
        var pending = _graph.Nodes.ToList();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var progressed = false;
            foreach (var node in pending.ToArray())
            {
                if (node.Inputs.Any(i => i.Producer is { } p && !done.Contains(p) && _graph.Nodes.Contains(p)))
                {
                    continue;
                }

                if (!InferNodeChecked(node))
                {
                    unresolved.Add(node);
                    UseDeclared(node);
                }

                done.Add(node);
                pending.Remove(node);
                progressed = true;
            }

            if (!progressed)
            {
                throw new CompressionException(DiagnosticCodes.GraphInvalid, SourceLocation.None with { Element = $"node {pending[0].Name}" },
                    $"graph '{_graph.Name}' has a cycle through node '{pending[0].Name}' ({pending[0].OpType})");
            }
        }

        return new ShapeInferenceResult(_shapes, _types, unresolved) { Failures = _failures };
    }

    /// <summary>
    /// The operator rules index the inputs, outputs and attribute lists their operator declares; a corrupt node with
    /// fewer of them is a malformed graph, reported on that node rather than as an index error.
    /// </summary>
    private bool InferNodeChecked(Node node)
    {
        try
        {
            return InferNode(node);
        }
        catch (CompressionException ex) when (_options.Lenient && ex.Diagnostics.All(d => d.Code == DiagnosticCodes.ShapeInferenceFailed))
        {
            _failures.Add(ex.Diagnostics[0].Message);
            foreach (var output in node.Outputs)
            {
                _shapes.Remove(output);
            }

            return false;
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new CompressionException(DiagnosticCodes.GraphInvalid, SourceLocation.None with { Element = $"node {node.Name}" },
                $"node '{node.Name}' ({node.OpType}) has {node.Inputs.Count} input(s) and {node.Outputs.Count} output(s), or attribute lists, shorter than its operator needs", ex);
        }
    }

    private TensorShape FromProto(TensorShapeProto proto) => new(proto.Dim.Select(d => d.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => Dim.Of(d.DimValue),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when _options.Symbols.TryGetValue(d.DimParam, out var bound) => Dim.Of(bound),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when _options.UnboundSymbolValue is { } fallback => Dim.Of(fallback),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Named(d.DimParam),
        _ => Dim.Unknown,
    }).ToArray());

    private void UseDeclared(Node node)
    {
        foreach (var output in node.Outputs.Where(o => !_shapes.ContainsKey(o)))
        {
            if (output.Info?.Type?.TensorType is { } declared)
            {
                _types.TryAdd(output, declared.ElemType);
                if (declared.Shape is not null)
                {
                    _shapes[output] = FromProto(declared.Shape);
                }
            }
        }
    }

    private TensorShape? ShapeOf(Value value) => value.IsEmpty ? null : _shapes.GetValueOrDefault(value);

    private int TypeOf(Value value) => _types.GetValueOrDefault(value);

    private void Set(Value output, TensorShape shape, int elementType)
    {
        if (output.IsEmpty)
        {
            return;
        }

        _shapes[output] = shape;
        _types[output] = elementType;
    }

    private void Set(Value output, IEnumerable<Dim> dims, int elementType) => Set(output, new TensorShape(dims.ToArray()), elementType);

    /// <summary>The values of a small integer tensor: folded earlier, an initializer or a Constant node.</summary>
    private Dim[]? Ints(Value value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (_folded.TryGetValue(value, out var dims))
        {
            return dims;
        }

        if (_graph.TryGetConstant(value, out var tensor) && IsInteger(tensor.DataType) && tensor.Dims.Count <= 1
            && TensorData.ElementCount(tensor) <= MaxFoldedElements)
        {
            return [.. TensorData.ReadInt64s(tensor).Select(Dim.Of)];
        }

        return null;
    }

    private long[]? KnownInts(Value value) => Ints(value) is { } dims && dims.All(d => d.IsKnown) ? [.. dims.Select(d => d.Value!.Value)] : null;

    private void Fold(Value output, Dim[] values, bool scalar)
    {
        _folded[output] = values;
        Set(output, scalar ? TensorShape.Scalar : new TensorShape([Dim.Of(values.Length)]), (int)DataType.Int64);
    }

    private static bool IsInteger(int dataType) => (DataType)dataType is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8
        or DataType.Uint8 or DataType.Uint16 or DataType.Uint32 or DataType.Uint64;

    private static int NormalizeAxis(long axis, int rank, Node node) =>
        axis >= -rank && axis < rank
            ? (int)(axis < 0 ? axis + rank : axis)
            : throw Fail(node, $"axis {axis} is out of range for rank {rank}");

    private static CompressionException Fail(Node node, string problem) =>
        new(DiagnosticCodes.ShapeInferenceFailed, SourceLocation.None with { Element = $"node {node.Name}" },
            $"{node.OpType} node '{node.Name}': {problem}");

    /// <summary>numpy-style multidirectional broadcasting.</summary>
    private static TensorShape Broadcast(Node node, IReadOnlyList<TensorShape> inputs)
    {
        var rank = inputs.Max(s => s.Rank);
        var dims = new Dim[rank];
        for (var i = 0; i < rank; i++)
        {
            Dim result = 1;
            foreach (var shape in inputs)
            {
                var offset = i - (rank - shape.Rank);
                if (offset < 0)
                {
                    continue;
                }

                var dim = shape[offset];
                if (dim.Value == 1)
                {
                    continue;
                }

                if (result.Value == 1)
                {
                    result = dim;
                }
                else if (result.IsKnown && dim.IsKnown && result.Value != dim.Value)
                {
                    throw Fail(node, $"cannot broadcast shapes {string.Join(" and ", inputs)}");
                }
                else if (!result.IsKnown && (dim.IsKnown || dim != result))
                {
                    result = dim.IsKnown ? dim : Dim.Unknown;
                }
            }

            dims[i] = result;
        }

        return new TensorShape(dims);
    }

    /// <summary>The product of dims: known when all are, a symbol when exactly one symbol times 1s, otherwise unknown.</summary>
    private static Dim Product(IEnumerable<Dim> dims)
    {
        long known = 1;
        Dim? symbol = null;
        var unknown = false;
        foreach (var dim in dims)
        {
            if (dim.Value is { } value)
            {
                known = checked(known * value);
            }
            else if (symbol is null && dim.Symbol is not null)
            {
                symbol = dim;
            }
            else
            {
                unknown = true;
            }
        }

        return unknown ? Dim.Unknown : symbol is null ? Dim.Of(known) : known == 1 ? symbol.Value : Dim.Unknown;
    }
}
