using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Quantization.Operators;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Which nodes static quantization turns to int8 and which activation tensors get a QuantizeLinear/DequantizeLinear
/// pair, laid out the way ONNX Runtime's QDQ transformer fuses them: DQ on every input and Q on the output of each
/// operator the <see cref="QuantizerRegistry"/> knows (Conv, Gemm, MatMul, Add, Concat and pooling → QLinearConv, QGemm,
/// QLinearMatMul, QLinearAdd, QLinearConcat, QLinearAveragePool, QLinearGlobalAveragePool). A Relu or Clip right after
/// such a node shares its output's quantization (the pair goes after the activation, which ORT then drops because uint8
/// already clips at zero). MaxPool's output reuses its input's scale, as ORT requires to run it on int8 directly.
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

    /// <summary>A node to quantize, the output-channel axis of its weight (-1: none) and the quantizer that rewrites it.</summary>
    public sealed record QuantizedNode(Node Node, int WeightAxis)
    {
        public required OperatorQuantizer Quantizer { get; init; }
    }

    public IReadOnlyList<QuantizedNode> Nodes { get; }

    /// <summary>Activation tensors to calibrate and quantize, in graph order.</summary>
    public IReadOnlyList<Value> Tensors { get; }

    /// <summary>Tensors whose range is taken from another (MaxPool or Reshape output ← its input).</summary>
    public IReadOnlyDictionary<Value, Value> SharedRanges { get; }

    /// <summary>Weighted layers left in fp32, with the reason, for warnings.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>The tensor whose calibrated range <paramref name="tensor"/> takes, following a chain of shared ranges.</summary>
    public Value RangeSource(Value tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var visited = new HashSet<Value>();
        while (SharedRanges.TryGetValue(tensor, out var source) && visited.Add(tensor))
        {
            tensor = source;
        }

        return tensor;
    }

    public static StaticQuantizationPlan Create(OnnxGraph graph, QuantizeOptions options, IReadOnlySet<string> alsoExcluded) =>
        Create(graph, options, alsoExcluded, QuantizerRegistry.Default);

    public static StaticQuantizationPlan Create(OnnxGraph graph, QuantizeOptions options, IReadOnlySet<string> alsoExcluded, QuantizerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(alsoExcluded);
        ArgumentNullException.ThrowIfNull(registry);
        var scope = new QuantizationScope(graph, QuantizationPreparation.ElementTypes(graph));
        var nodes = new List<QuantizedNode>();
        var skipped = new List<string>();
        var tensors = new List<Value>();
        var seen = new HashSet<Value>();
        var shared = new Dictionary<Value, Value>();
        var fixedRange = new HashSet<Value>();
        void Add(Value v)
        {
            scope.MarkQuantized(v);
            if (!fixedRange.Contains(v) && seen.Add(v))
            {
                tensors.Add(v);
            }
        }

        // One walk in graph order: a data-movement op asks whether its input is already quantized, which the nodes
        // before it decide.
        foreach (var node in graph.Nodes.Where(n => n.Domain is "" or "ai.onnx"))
        {
            if (options.IsExcluded(node) || alsoExcluded.Contains(node.Name) || registry.Find(node.OpType) is not { } quantizer)
            {
                continue;
            }

            var decision = quantizer.Plan(node, scope);
            if (!decision.Quantize)
            {
                if (decision.SkipReason is { } reason)
                {
                    skipped.Add($"{node.OpType} '{node.Name}' ({reason})");
                }

                continue;
            }

            nodes.Add(new QuantizedNode(node, decision.WeightAxis) { Quantizer = quantizer });
            foreach (var input in quantizer.ActivationInputs(node, scope))
            {
                Add(input);
            }

            foreach (var fixedOutput in quantizer.FixedRangeOutputs(node))
            {
                fixedRange.Add(fixedOutput);
                scope.MarkQuantized(fixedOutput);
            }

            foreach (var output in quantizer.QuantizedOutputs(node))
            {
                var effective = output == node.Outputs[0] ? EffectiveOutput(node, options, quantizer) : output;
                Add(effective);
                if (quantizer.OutputSharesInputRange)
                {
                    shared[effective] = node.Inputs[0];
                }
            }
        }

        return new StaticQuantizationPlan(nodes, tensors, shared, skipped);
    }

    /// <summary>The output the node's Q goes on: past a single following Relu/Clip, which then shares the Conv's range.</summary>
    public static Value EffectiveOutput(Node node, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        return EffectiveOutput(node, options, QuantizerRegistry.Default.Find(node.OpType));
    }

    private static Value EffectiveOutput(Node node, QuantizeOptions options, OperatorQuantizer? quantizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = node.Outputs[0];
        if (options.SymmetricActivations || output.IsGraphOutput || quantizer is { FusesFollowingActivation: false })
        {
            return output;
        }

        var readers = output.Consumers;
        return readers.Count == 1 && readers[0] is { Domain: "" or "ai.onnx" } next && ActivationOps.Contains(next.OpType) && !options.IsExcluded(next)
            ? next.Outputs[0]
            : output;
    }
}
