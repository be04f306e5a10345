using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Which nodes static quantization turns to int8 and which activation tensors get a QuantizeLinear/DequantizeLinear
/// pair, laid out the way ONNX Runtime's QDQ transformer fuses them: DQ on every input and Q on the output of
/// Conv, Gemm, MatMul, Add, Concat and pooling (→ QLinearConv, QGemm, QLinearMatMul, QLinearAdd, QLinearConcat,
/// QLinearAveragePool, QLinearGlobalAveragePool). A Relu or Clip right after such a node shares its output's
/// quantization (the pair goes after the activation, which ORT then drops because uint8 already clips at zero).
/// MaxPool's output reuses its input's scale, as ORT requires to run it on int8 directly.
/// </summary>
public sealed class StaticQuantizationPlan
{
    private static readonly HashSet<string> ActivationOps = new(StringComparer.Ordinal) { "Relu", "Clip" };

    private StaticQuantizationPlan(List<QuantizedNode> nodes, List<Value> tensors, Dictionary<Value, Value> sharedRanges, List<string> skipped)
    {
        Nodes = nodes;
        Tensors = tensors;
        SharedRanges = sharedRanges;
        Skipped = skipped;
    }

    public sealed record QuantizedNode(Node Node, int WeightAxis);

    public IReadOnlyList<QuantizedNode> Nodes { get; }

    /// <summary>Activation tensors to calibrate and quantize, in graph order.</summary>
    public IReadOnlyList<Value> Tensors { get; }

    /// <summary>Tensors whose range is taken from another (MaxPool output ← its input).</summary>
    public IReadOnlyDictionary<Value, Value> SharedRanges { get; }

    /// <summary>Weighted layers left in fp32, with the reason, for warnings.</summary>
    public IReadOnlyList<string> Skipped { get; }

    public static StaticQuantizationPlan Create(OnnxGraph graph, QuantizeOptions options, IReadOnlySet<string> alsoExcluded)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var types = QuantizationPreparation.ElementTypes(graph);
        bool IsActivation(Value v) => !v.IsEmpty && !graph.TryGetConstant(v, out _)
            && (types.TryGetValue(v, out var t) ? t == (int)TensorProto.Types.DataType.Float : v.ElementType is 0 or (int)TensorProto.Types.DataType.Float);

        var nodes = new List<QuantizedNode>();
        var skipped = new List<string>();
        foreach (var node in graph.Nodes.Where(n => n.Domain is "" or "ai.onnx"))
        {
            if (options.IsExcluded(node) || alsoExcluded.Contains(node.Name))
            {
                continue;
            }

            var axis = WeightAxis(graph, node, out var reason);
            var quantizable = node.OpType switch
            {
                "Conv" or "Gemm" => axis >= 0 && IsActivation(node.Inputs[0]),
                "MatMul" => IsActivation(node.Inputs[0]) && (axis >= 0 || IsActivation(node.Inputs[1])),
                "Add" => node.Inputs.Count == 2 && node.Inputs.All(IsActivation),
                "Concat" => node.Inputs.All(IsActivation),
                "MaxPool" => node.Outputs.Count(o => !o.IsEmpty) == 1 && IsActivation(node.Inputs[0]),
                "AveragePool" or "GlobalAveragePool" => IsActivation(node.Inputs[0]),
                _ => false,
            };

            if (quantizable)
            {
                nodes.Add(new QuantizedNode(node, axis));
            }
            else if (node.OpType is "Conv" or "Gemm" or "MatMul")
            {
                skipped.Add($"{node.OpType} '{node.Name}' ({reason ?? "its input is not a float activation"})");
            }
        }

        var tensors = new List<Value>();
        var seen = new HashSet<Value>();
        var shared = new Dictionary<Value, Value>();
        void Add(Value v)
        {
            if (seen.Add(v))
            {
                tensors.Add(v);
            }
        }

        foreach (var (node, _) in nodes)
        {
            var activationInputs = node.OpType switch
            {
                "Conv" or "Gemm" => new[] { node.Inputs[0] },
                "MatMul" => node.Inputs.Where(IsActivation).ToArray(),
                _ => node.Inputs.ToArray(),
            };
            foreach (var input in activationInputs)
            {
                Add(input);
            }

            var output = EffectiveOutput(node, options);
            Add(output);
            if (node.OpType == "MaxPool")
            {
                shared[output] = node.Inputs[0];
            }
        }

        return new StaticQuantizationPlan(nodes, tensors, shared, skipped);
    }

    /// <summary>The output the node's Q goes on: past a single following Relu/Clip, which then shares the Conv's range.</summary>
    public static Value EffectiveOutput(Node node, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        var output = node.Outputs[0];
        if (options.SymmetricActivations || output.IsGraphOutput || node.OpType is "MaxPool" or "Concat")
        {
            return output;
        }

        var readers = output.Consumers;
        return readers.Count == 1 && readers[0] is { Domain: "" or "ai.onnx" } next && ActivationOps.Contains(next.OpType) && !options.IsExcluded(next)
            ? next.Outputs[0]
            : output;
    }

    /// <summary>The output-channel axis of a constant, finite float weight; -1 (with a reason) when there is none.</summary>
    private static int WeightAxis(OnnxGraph graph, Node node, out string? reason)
    {
        reason = null;
        var (index, axis) = node.OpType switch
        {
            "Conv" => (1, 0),
            "Gemm" when node.GetInt("transA", 0) == 0 && node.GetFloat("alpha", 1f) == 1f && node.GetFloat("beta", 1f) == 1f => (1, node.GetInt("transB", 0) == 1 ? 0 : 1),
            "Gemm" => (-1, -1),
            "MatMul" => (1, 1),
            _ => (-1, -1),
        };
        if (index < 0)
        {
            reason = node.OpType == "Gemm" ? "transposed input or alpha/beta other than 1" : null;
            return -1;
        }

        if (node.Inputs.Count <= index || !graph.TryGetConstant(node.Inputs[index], out var weight))
        {
            reason = "its weights are not constant";
            return -1;
        }

        if (weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count < 2 || (node.OpType != "Conv" && weight.Dims.Count != 2))
        {
            reason = $"its weights are {weight.Dims.Count}-D of type {weight.DataType}";
            return -1;
        }

        if (TensorData.ReadFloats(weight).Any(w => !float.IsFinite(w)))
        {
            reason = "its weights hold NaN or infinity";
            return -1;
        }

        return axis;
    }
}
