using System.Numerics;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Training.Operators;

namespace CompressionTasks.Training;

/// <summary>
/// An ONNX graph made trainable: the nodes from the input to the output (or to the logits feeding a final Softmax)
/// as differentiable operators, the trainable initializers as <see cref="TrainingParameter{T}"/>s and the
/// BatchNormalization running statistics as buffers. <see cref="Forward"/> records every value of the batch;
/// <see cref="Backward"/> walks the nodes in reverse and adds each parameter's gradient into
/// <see cref="TrainingParameter{T}.Gradient"/>. <see cref="WriteBack"/> stores weights and statistics in the graph.
/// </summary>
public sealed class TrainingGraph<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Step> _steps = [];
    private readonly Dictionary<Value, TrainingTensor<T>> _constants = [];
    private readonly Dictionary<Value, TrainingParameter<T>> _parameters = [];
    private readonly List<(Value Source, TrainingTensor<T> Tensor)> _buffers = [];
    private readonly HashSet<Value> _requiresGradient = [];
    private readonly Dictionary<Value, TrainingTensor<T>> _values = [];
    private readonly bool _inputGradient;

    private TrainingGraph(Value input, Value output, bool inputGradient)
    {
        Input = input;
        Output = output;
        _inputGradient = inputGradient;
    }

    public Value Input { get; }

    /// <summary>The value <see cref="Forward"/> returns: the graph output, or the logits before a final Softmax.</summary>
    public Value Output { get; }

    public IReadOnlyList<TrainingParameter<T>> Parameters => [.. _parameters.Values];

    /// <summary>When set, <see cref="OperatorTimes"/> accumulates wall time per operator type and direction.</summary>
    public bool Profile { get; set; }

    /// <summary>Milliseconds spent per <c>"OpType forward"</c> / <c>"OpType backward"</c> since profiling began.</summary>
    public Dictionary<string, double> OperatorTimes { get; } = new(StringComparer.Ordinal);

    public static TrainingGraph<T> Build(OnnxGraph graph, TrainingGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new TrainingGraphOptions();
        if (graph.Inputs.Count != 1 || graph.Outputs.Count < 1)
        {
            throw ModelError(graph, $"training needs exactly one graph input and an output; the graph has {graph.Inputs.Count} inputs and {graph.Outputs.Count} outputs");
        }

        var output = graph.Outputs[0];
        if (options.StopBeforeSoftmax && output.Producer is { OpType: "Softmax" } softmax)
        {
            output = softmax.Inputs[0];
        }

        var result = new TrainingGraph<T>(graph.Inputs[0], output, options.InputGradient);
        result.Compile(graph, options);
        return result;
    }

    /// <summary>Runs the batch through the graph, keeping every value for <see cref="Backward"/>.</summary>
    public TrainingTensor<T> Forward(TrainingTensor<T> input, ForwardMode mode)
    {
        ArgumentNullException.ThrowIfNull(input);
        _values.Clear();
        _values[Input] = input;
        foreach (var step in _steps)
        {
            var inputs = step.Inputs.Select(Resolve).ToArray();
            for (var i = 0; i < inputs.Length; i++)
            {
                if (step.Quantizers?[i] is { } quantizer && inputs[i] is { } raw)
                {
                    inputs[i] = quantizer.Forward(raw, mode);
                }
            }

            step.LastInputs = inputs;
            var started = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var outputs = step.Operator.Forward(inputs, mode);
            Record(step, "forward", started);
            for (var i = 0; i < step.Outputs.Length && i < outputs.Length; i++)
            {
                _values[step.Outputs[i]] = outputs[i];
            }
        }

        return _values[Output];
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (dLoss/dOutput of the last <see cref="Forward"/>) and adds the
    /// parameter gradients to <see cref="TrainingParameter{T}.Gradient"/>. Returns dLoss/dInput when requested.
    /// </summary>
    public TrainingTensor<T>? Backward(TrainingTensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var gradients = new Dictionary<Value, TrainingTensor<T>> { [Output] = outputGradient };
        for (var s = _steps.Count - 1; s >= 0; s--)
        {
            var step = _steps[s];
            var outputGradients = step.Outputs.Select(o => gradients.GetValueOrDefault(o)).ToArray();
            if (outputGradients.All(g => g is null))
            {
                continue;
            }

            var needs = step.Inputs.Select(_requiresGradient.Contains).ToArray();
            if (!needs.Any(n => n))
            {
                continue;
            }

            var inputs = step.LastInputs;
            var outputs = step.Outputs.Select(o => _values[o]).ToArray();
            var started = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var inputGradients = step.Operator.Backward(inputs, outputs, outputGradients, needs);
            Record(step, "backward", started);
            for (var i = 0; i < inputGradients.Length; i++)
            {
                if (step.Quantizers?[i] is { } quantizer && inputGradients[i] is { } passed)
                {
                    inputGradients[i] = quantizer.Backward(passed);
                }
            }

            for (var i = 0; i < step.Inputs.Length; i++)
            {
                if (!needs[i] || inputGradients[i] is not { } gradient)
                {
                    continue;
                }

                var value = step.Inputs[i];
                if (_parameters.TryGetValue(value, out var parameter))
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(parameter.Gradient.Data, gradient.Data, parameter.Gradient.Data);
                }
                else if (gradients.TryGetValue(value, out var existing))
                {
                    var sum = TrainingTensor<T>.ZerosLike(existing);
                    System.Numerics.Tensors.TensorPrimitives.Add(existing.Data, gradient.Data, sum.Data);
                    gradients[value] = sum;
                }
                else
                {
                    gradients[value] = gradient;
                }
            }
        }

        return _inputGradient ? gradients.GetValueOrDefault(Input) : null;
    }

    private void Record(Step step, string direction, long started)
    {
        if (Profile)
        {
            var key = $"{step.Operator.Node.OpType} {direction}";
            OperatorTimes[key] = OperatorTimes.GetValueOrDefault(key) + System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    public void ZeroGradients()
    {
        foreach (var parameter in _parameters.Values)
        {
            Array.Clear(parameter.Gradient.Data);
        }
    }

    /// <summary>Stores the current parameters and BatchNormalization statistics in their initializers, as float32.</summary>
    public void WriteBack()
    {
        foreach (var parameter in _parameters.Values)
        {
            Write(parameter.Source.Initializer!, parameter.Value);
        }

        foreach (var (source, tensor) in _buffers)
        {
            Write(source.Initializer!, tensor);
        }
    }

    private static void Write(TensorProto initializer, TrainingTensor<T> tensor)
    {
        var floats = new float[tensor.Length];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = float.CreateSaturating(tensor.Data[i]);
        }

        TensorData.Write<float>(initializer, floats);
    }

    private TrainingTensor<T>? Resolve(Value value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (_parameters.TryGetValue(value, out var parameter))
        {
            return parameter.Value;
        }

        return _values.GetValueOrDefault(value) ?? _constants.GetValueOrDefault(value);
    }

    private void Compile(OnnxGraph graph, TrainingGraphOptions options)
    {
        var needed = new HashSet<Node>();
        var pending = new Stack<Value>([Output]);
        var seen = new HashSet<Value>();
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (!seen.Add(value) || value.Producer is not { } producer || !needed.Add(producer))
            {
                continue;
            }

            foreach (var input in producer.Inputs)
            {
                pending.Push(input);
            }
        }

        if (Output != Input && Output.Producer is null)
        {
            throw ModelError(graph, $"output '{Output.Name}' is not computed by any node");
        }

        var opset = graph.OpsetVersion();
        if (_inputGradient)
        {
            _requiresGradient.Add(Input);
        }

        TensorProto? ConstantOf(Value v) => graph.TryGetConstant(v, out var tensor) ? tensor : null;
        foreach (var node in graph.Nodes.Where(needed.Contains))
        {
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw OperatorAttributes.Unsupported(node, $"operators of domain '{node.Domain}' cannot be trained");
            }

            if (node.OpType == "Constant")
            {
                if (ConstantOf(node.Outputs[0]) is { } tensor && IsFloat(tensor))
                {
                    _constants[node.Outputs[0]] = ToTensor(tensor);
                }

                continue;
            }

            // Exporters cast scalar bounds (ReLU6's Clip) from constants; fold those instead of differentiating a Cast.
            if (node.OpType == "Cast" && _constants.TryGetValue(node.Inputs[0], out var castSource))
            {
                _constants[node.Outputs[0]] = castSource;
                continue;
            }

            for (var i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (!input.IsEmpty && input.Initializer is null && input.Producer is null && input != Input && !_constants.ContainsKey(input))
                {
                    throw ModelError(graph, $"input '{input.Name}' of node '{node.Name}' has no data (a sparse initializer?); fine-tune before storing weights sparsely");
                }

                if (input.Initializer is not { } initializer || _parameters.ContainsKey(input) || _constants.ContainsKey(input))
                {
                    continue;
                }

                if (!IsFloat(initializer))
                {
                    if (initializer.DataType is (int)TensorProto.Types.DataType.Float16 or (int)TensorProto.Types.DataType.Bfloat16)
                    {
                        throw ModelError(graph, $"initializer '{input.Name}' is {TensorElementType.Name(initializer.DataType)}; fine-tune before converting to fp16");
                    }

                    continue;
                }

                var tensor = ToTensor(initializer);
                var trainable = options.IsTrainable?.Invoke(input) ?? IsDefaultTrainable(node, i);
                if (trainable)
                {
                    var role = OperatorTraits.Of(node) is { Weight: { } weight } traits && traits.Has(OperatorFacts.WeightedLayer) && i == weight.Index
                        ? ParameterRole.Weight
                        : ParameterRole.Other;
                    _parameters[input] = new TrainingParameter<T>(input, tensor, role);
                    _requiresGradient.Add(input);
                }
                else
                {
                    _constants[input] = tensor;
                    if (node.OpType == "BatchNormalization" && i >= 3)
                    {
                        _buffers.Add((input, tensor));
                    }
                }
            }

            var op = CreateOperator(node, opset, options, ConstantOf);
            if (node.Inputs.Any(_requiresGradient.Contains))
            {
                _requiresGradient.UnionWith(node.Outputs);
            }

            _steps.Add(new Step(op, [.. node.Inputs], [.. node.Outputs]) { Quantizers = options.FakeQuantize ? Quantizers(node, options) : null });
        }
    }

    /// <summary>A weighted layer's weight and bias, and BatchNormalization's scale and shift (not its running statistics).</summary>
    private static bool IsDefaultTrainable(Node node, int index)
    {
        if (node.OpType == "BatchNormalization")
        {
            return index is 1 or 2;
        }

        var traits = OperatorTraits.Of(node.OpType);
        return traits.Has(OperatorFacts.WeightedLayer) && (index == traits.Weight!.Index || index == traits.BiasInput);
    }

    private static TrainingOperator<T> CreateOperator(Node node, long opset, TrainingGraphOptions options, Func<Value, TensorProto?> constantOf) => node.OpType switch
    {
        "Conv" => new ConvOperator<T>(node),
        "BatchNormalization" => node.Outputs.Count(o => !o.IsEmpty) > 1
            ? throw OperatorAttributes.Unsupported(node, "training-mode outputs (running mean/var) are not supported; export in inference mode")
            : new BatchNormOperator<T>(node, options.FreezeBatchNorm),
        "Relu" => new ReluOperator<T>(node),
        "Clip" => new ClipOperator<T>(node),
        "HardSigmoid" => new HardSigmoidOperator<T>(node),
        "Sigmoid" => new SigmoidOperator<T>(node),
        "Add" or "Sub" or "Mul" => new BinaryOperator<T>(node),
        "MaxPool" or "AveragePool" => new PoolOperator<T>(node),
        "GlobalAveragePool" => new GlobalAveragePoolOperator<T>(node),
        "Flatten" or "Reshape" => new ReshapeOperator<T>(node, constantOf),
        "Gemm" => new GemmOperator<T>(node),
        "MatMul" => new MatMulOperator<T>(node),
        "Concat" => new ConcatOperator<T>(node),
        "Softmax" => new SoftmaxOperator<T>(node, opset),
        "Identity" or "Dropout" => new IdentityOperator<T>(node),
        _ => throw OperatorAttributes.Unsupported(node, "this operator has no gradient in the training engine"),
    };

    private static bool IsFloat(TensorProto tensor) => tensor.DataType is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double;

    private static TrainingTensor<T> ToTensor(TensorProto tensor)
    {
        var shape = tensor.Dims.Select(d => checked((int)d)).ToArray();
        var data = tensor.DataType == (int)TensorProto.Types.DataType.Double
            ? Array.ConvertAll(TensorData.ReadDoubles(tensor), T.CreateChecked)
            : Array.ConvertAll(TensorData.ReadFloats(tensor), T.CreateChecked);
        return new TrainingTensor<T>(shape, data);
    }

    private static CompressionException ModelError(OnnxGraph graph, string message) =>
        new(DiagnosticCodes.TrainingModelUnsupported, SourceLocation.None with { Element = $"graph {graph.Name}" }, message);

    /// <summary>Fake quantization for the inputs static quantization turns to int8: a MAC operator's data and weight.</summary>
    private static FakeQuantizer<T>?[]? Quantizers(Node node, TrainingGraphOptions options)
    {
        var traits = OperatorTraits.Of(node.OpType);
        if (traits.Quantization != QuantizationKind.WeightAndActivations)
        {
            return null;
        }

        var weight = traits.Weight!.Index;
        var quantizers = new FakeQuantizer<T>?[node.Inputs.Count];
        quantizers[0] = FakeQuantizer<T>.ForActivations();
        quantizers[weight] = node.Inputs[weight].IsInitializer
            ? FakeQuantizer<T>.ForWeights(traits.Weight.OutputAxis(node), options.FakeQuantizePerChannel, options.FakeQuantizeReduceRange)
            : FakeQuantizer<T>.ForActivations();
        return quantizers;
    }

    private sealed record Step(TrainingOperator<T> Operator, Value[] Inputs, Value[] Outputs)
    {
        public FakeQuantizer<T>?[]? Quantizers { get; init; }

        /// <summary>The inputs the operator saw in the last forward pass (after fake quantization).</summary>
        public TrainingTensor<T>?[] LastInputs { get; set; } = [];
    }
}
