using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// Which channels of an ONNX graph move together (after Torch-Pruning's DepGraph, built on the ONNX graph rather than on
/// modules): every Conv output starts a <see cref="ChannelGroup"/>; the channel axis is followed through BN, activations,
/// pooling, elementwise ops with per-channel or scalar constants, depthwise Conv, Concat (as segments at offsets) and
/// Flatten (as column blocks); a residual Add unions its operands' groups. Any other reader of a channel axis, a graph
/// output, or a value whose layout cannot be proved blocks the groups it touches, so pruning never guesses. Which ops
/// pass channels through or join them, and which weight axes hold a layer's channels, come from <see cref="OperatorTraits"/>.
/// </summary>
public sealed class ChannelDependencyGraph
{
    private readonly List<ChannelGroup> _groups = [];
    private readonly List<int> _parent = [];
    private readonly Dictionary<Value, IReadOnlyList<ChannelSegment>?> _layouts = [];
    private readonly List<ChannelSlice> _slices = [];
    private readonly List<Node> _depthwise = [];
    private readonly List<(Node Node, IReadOnlyList<ChannelSegment> Layout)> _flatteningReshapes = [];
    private readonly List<(Node Node, int InputIndex, int Entry, IReadOnlyList<ChannelSegment> Layout)> _channelCounts = [];
    private readonly ShapeInferenceResult _shapes;
    private readonly OnnxGraph _graph;

    private ChannelDependencyGraph(OnnxGraph graph, ShapeInferenceResult shapes)
    {
        _graph = graph;
        _shapes = shapes;
    }

    /// <summary>The distinct groups (after unions), in creation order.</summary>
    public IReadOnlyList<ChannelGroup> Groups => _groups.Where((g, i) => Find(i) == i).ToArray();

    /// <summary>Every constant input slice the groups imply, with layouts resolved to root groups.</summary>
    public IReadOnlyList<ChannelSlice> Slices => _slices.Select(s => s with { Layout = Resolve(s.Layout) }).ToArray();

    /// <summary>Depthwise Convs whose <c>group</c> attribute follows their input's layout.</summary>
    public IReadOnlyList<(Node Node, IReadOnlyList<ChannelSegment> Layout)> DepthwiseConvs =>
        _depthwise.Select(n => (n, Resolve(_layouts[n.Inputs[0]]!))).ToArray();

    /// <summary>Reshapes that flatten [N, C, H, W] to [N, C·H·W] with the width written out, which must be rewritten when C shrinks.</summary>
    public IReadOnlyList<(Node Node, IReadOnlyList<ChannelSegment> Layout)> FlatteningReshapes =>
        _flatteningReshapes.Select(r => (r.Node, Resolve(r.Layout))).ToArray();

    /// <summary>Constant int64 inputs with one entry that states a channel count (Resize's sizes), rewritten with the kept count.</summary>
    public IReadOnlyList<(Node Node, int InputIndex, int Entry, IReadOnlyList<ChannelSegment> Layout)> ChannelCountInputs =>
        _channelCounts.Select(c => (c.Node, c.InputIndex, c.Entry, Resolve(c.Layout))).ToArray();

    /// <summary>Values whose declared shape carries the channel count on axis 1.</summary>
    public IEnumerable<(Value Value, IReadOnlyList<ChannelSegment> Layout)> Values =>
        _layouts.Where(p => p.Value is not null).Select(p => (p.Key, Resolve(p.Value!)));

    public ChannelGroup GroupOf(int id) => _groups[Find(id)];

    public static ChannelDependencyGraph Build(OnnxGraph graph, ShapeInferenceResult shapes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(shapes);
        var dependencies = new ChannelDependencyGraph(graph, shapes);
        foreach (var node in graph.Nodes)
        {
            dependencies.Visit(node);
        }

        foreach (var output in graph.Outputs)
        {
            dependencies.Block(dependencies.LayoutOf(output), $"graph output '{output.Name}'");
        }

        return dependencies;
    }

    private void Visit(Node node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            BlockInputs(node);
            return;
        }

        switch (node.OpType)
        {
            case "Conv" or "ConvTranspose":
                VisitConv(node);
                break;
            case "BatchNormalization":
                VisitBatchNormalization(node);
                break;
            case "InstanceNormalization":
                VisitInstanceNormalization(node);
                break;
            case "Resize" or "Upsample":
                VisitResize(node);
                break;
            case "Pad":
                VisitPad(node);
                break;
            case "Slice":
                VisitSlice(node);
                break;
            case "Split":
                VisitSplit(node);
                break;
            case "PRelu":
                VisitElementwise(node);
                break;
            case "Clip":
                VisitClip(node);
                break;
            case "Concat":
                VisitConcat(node);
                break;
            case "Flatten":
                VisitFlatten(node);
                break;
            case "Reshape":
                VisitReshape(node);
                break;
            case "Gemm":
                VisitGemm(node);
                break;
            case "ReduceMean" or "ReduceMax" or "ReduceMin" or "ReduceSum" or "ReduceL1" or "ReduceL2":
                VisitReduce(node);
                break;
            case "MatMul":
                VisitMatMul(node);
                break;
            case var op when OperatorTraits.Is(op, OperatorFacts.ChannelPreserving):
                VisitPassThrough(node);
                break;
            case var op when OperatorTraits.Is(op, OperatorFacts.JoinsChannels):
                VisitElementwise(node);
                break;
            default:
                BlockInputs(node);
                break;
        }
    }

    private void VisitConv(Node node)
    {
        var traits = OperatorTraits.Of(node);
        var (weightIndex, biasIndex) = (traits.Weight!.Index, traits.BiasInput);
        var (outAxis, inAxis) = (traits.Weight.OutputAxis(node), traits.Weight.InputAxis(node));
        var input = LayoutOf(node.Inputs[0]);
        var weight = node.Inputs.Count > weightIndex ? node.Inputs[weightIndex] : null;
        var hasWeight = weight is not null && _graph.TryGetConstant(weight, out var weightTensor) && weightTensor.Dims.Count >= 3 && weightTensor.DataType == 1;
        var bias = node.Inputs.Count > biasIndex && !node.Inputs[biasIndex].IsEmpty ? node.Inputs[biasIndex] : null;
        var biasConstant = bias is null || _graph.TryGetConstant(bias, out _);
        var groups = node.GetInt("group", 1);
        if (!hasWeight || !biasConstant)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Conv '{node.Name}' has no constant float weight"));
            return;
        }

        _graph.TryGetConstant(weight!, out var w);
        var outChannels = checked((int)w.Dims[outAxis]);
        var inPerGroup = w.Dims[inAxis];
        if (groups == 1)
        {
            if (input is not null)
            {
                _slices.Add(new ChannelSlice(node, weightIndex, inAxis, input));
            }

            var group = NewGroup(outChannels);
            _groups[group].Producers.Add(node);
            var layout = new[] { new ChannelSegment(group, outChannels, 1) };
            _slices.Add(new ChannelSlice(node, weightIndex, outAxis, layout));
            if (bias is not null)
            {
                _slices.Add(new ChannelSlice(node, biasIndex, 0, layout));
            }

            SetLayout(node.Outputs[0], layout);
            return;
        }

        if (node.OpType == "Conv" && inPerGroup == 1 && groups == outChannels && input is not null && Width(input) == outChannels && input.All(s => s.Inner == 1))
        {
            // Depthwise: output channel c reads only input channel c, so the output carries the input's layout.
            _slices.Add(new ChannelSlice(node, weightIndex, outAxis, input));
            if (bias is not null)
            {
                _slices.Add(new ChannelSlice(node, biasIndex, 0, input));
            }

            _depthwise.Add(node);
            SetLayout(node.Outputs[0], input);
            return;
        }

        Block(input, $"grouped Conv '{node.Name}' (group={groups})");
        SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"grouped Conv '{node.Name}' (group={groups})"));
    }

    private void VisitBatchNormalization(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        if (input is null || input.Any(s => s.Inner != 1) || node.Outputs.Count > 1 && node.Outputs.Skip(1).Any(o => !o.IsEmpty)
            || !node.Inputs.Skip(1).Take(4).All(v => _graph.TryGetConstant(v, out var parameter) && parameter.DataType == 1))
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"BatchNormalization '{node.Name}' in training mode or with non-constant or non-float parameters"));
            return;
        }

        for (var i = 1; i <= 4 && i < node.Inputs.Count; i++)
        {
            _slices.Add(new ChannelSlice(node, i, 0, input));
        }

        SetLayout(node.Outputs[0], input);
    }

    /// <summary>InstanceNormalization normalises each channel on its own: its scale and bias are sliced with the channels.</summary>
    private void VisitInstanceNormalization(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        if (input is null || input.Any(s => s.Inner != 1)
            || !node.Inputs.Skip(1).Take(2).All(v => _graph.TryGetConstant(v, out var parameter) && parameter.DataType == 1 && parameter.Dims.Count == 1))
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"InstanceNormalization '{node.Name}' with non-constant parameters"));
            return;
        }

        _slices.Add(new ChannelSlice(node, 1, 0, input));
        _slices.Add(new ChannelSlice(node, 2, 0, input));
        SetLayout(node.Outputs[0], input);
    }

    /// <summary>
    /// Resize and Upsample keep channel c in channel c when they scale neither the batch nor the channel axis: constant
    /// scales of 1 there, or constant sizes whose channel entry is rewritten with the kept count.
    /// </summary>
    private void VisitResize(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var scalesIndex = node.OpType == "Upsample" ? 1 : 2;
        var ok = false;
        if (input is not null && input.All(s => s.Inner == 1))
        {
            if (node.OpType == "Upsample" && node.GetFloats("scales") is { Count: >= 2 } attribute)
            {
                ok = attribute[0] == 1f && attribute[1] == 1f;
            }
            else if (node.Inputs.Count > scalesIndex && !node.Inputs[scalesIndex].IsEmpty)
            {
                ok = _graph.TryGetConstant(node.Inputs[scalesIndex], out var scales) && scales.DataType == 1
                    && Onnx.TensorData.ReadFloats(scales) is { Length: >= 2 } factors && factors[0] == 1f && factors[1] == 1f;
            }
            else if (node.OpType == "Resize" && node.Inputs.Count > 3 && _graph.TryGetConstant(node.Inputs[3], out var sizes) && sizes.Dims.Count == 1 && sizes.Dims[0] >= 2)
            {
                ok = Onnx.TensorData.ReadInt64s(sizes)[1] == Width(input);
                if (ok)
                {
                    _channelCounts.Add((node, 3, 1, input));
                }
            }
        }

        if (!ok)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"{node.OpType} '{node.Name}' scaling the channel axis or with computed scales"));
            return;
        }

        SetLayout(node.Outputs[0], input);
    }

    /// <summary>Pad keeps the channel layout when it pads neither the batch nor the channel axis (constant pads, constant mode).</summary>
    private void VisitPad(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var pads = node.GetInts("pads") is { } attribute ? attribute.ToArray()
            : node.Inputs.Count > 1 && _graph.TryGetConstant(node.Inputs[1], out var tensor) ? Onnx.TensorData.ReadInt64s(tensor) : null;
        var rank = pads is null ? 0 : pads.Length / 2;
        var ok = input is not null && input.All(s => s.Inner == 1) && pads is not null && rank >= 2
            && pads[0] == 0 && pads[1] == 0 && pads[rank] == 0 && pads[rank + 1] == 0
            && (node.Inputs.Count <= 3 || node.Inputs[3].IsEmpty);
        if (!ok)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Pad '{node.Name}' on the channel axis or with computed pads"));
            return;
        }

        SetLayout(node.Outputs[0], input);
    }

    /// <summary>Slice keeps the channel layout when its constant axes leave the batch and channel axes whole.</summary>
    private void VisitSlice(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var rank = _shapes.ShapeOf(node.Inputs[0])?.Rank;
        long[]? axes = null;
        if (node.GetInts("axes") is { } attribute)
        {
            axes = attribute.ToArray();
        }
        else if (node.GetInts("starts") is { } starts && node.Inputs.Count == 1)
        {
            axes = Enumerable.Range(0, starts.Count).Select(i => (long)i).ToArray();
        }
        else if (node.Inputs.Count > 3 && !node.Inputs[3].IsEmpty && _graph.TryGetConstant(node.Inputs[3], out var tensor))
        {
            axes = Onnx.TensorData.ReadInt64s(tensor);
        }
        else if (node.Inputs.Count >= 3 && _graph.TryGetConstant(node.Inputs[1], out var startsTensor))
        {
            axes = Enumerable.Range(0, (int)startsTensor.Dims.Aggregate(1L, (a, b) => a * b)).Select(i => (long)i).ToArray();
        }

        // A negative axis needs the rank to be resolved; without it only explicit spatial axes are followed.
        var ok = input is not null && input.All(s => s.Inner == 1) && axes is not null
            && axes.All(a => a >= 2 || (a < 0 && rank is { } r && a + r >= 2));
        if (!ok)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Slice '{node.Name}' on the batch or channel axis"));
            return;
        }

        SetLayout(node.Outputs[0], input);
    }

    /// <summary>Split on a spatial axis gives every output the input's channel layout.</summary>
    private void VisitSplit(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var rank = _shapes.ShapeOf(node.Inputs[0])?.Rank;
        var axis = node.GetInt("axis", 0);
        if (rank is not null && axis < 0)
        {
            axis += rank.Value;
        }

        if (input is null || input.Any(s => s.Inner != 1) || axis < 2)
        {
            BlockInputs(node);
            return;
        }

        foreach (var output in node.Outputs)
        {
            SetLayout(output, input);
        }
    }

    private void VisitClip(Node node)
    {
        var boundsConstant = node.Inputs.Skip(1).All(v => v.IsEmpty || _graph.TryGetConstant(v, out var t) && t.Dims.Aggregate(1L, (a, b) => a * b) == 1);
        if (!boundsConstant)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Clip '{node.Name}' with per-element bounds"));
            return;
        }

        SetLayout(node.Outputs[0], LayoutOf(node.Inputs[0]));
    }

    private void VisitPassThrough(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var spatial = OperatorTraits.Is(node.OpType, OperatorFacts.SpatialPooling);
        if (input is not null && spatial && input.Any(s => s.Inner != 1))
        {
            Block(input, $"{node.OpType} '{node.Name}' on a flattened tensor");
            input = null;
        }

        if (node.OpType == "MaxPool" && node.Outputs.Count > 1 && !node.Outputs[1].IsEmpty)
        {
            Block(input, $"MaxPool '{node.Name}' returning indices");
            input = null;
        }

        SetLayout(node.Outputs[0], input ?? Fresh(node.Outputs[0], $"{node.OpType} '{node.Name}'"));
    }

    private void VisitElementwise(Node node)
    {
        var outputRank = _shapes.ShapeOf(node.Outputs[0])?.Rank;
        IReadOnlyList<ChannelSegment>? joined = null;
        var ok = outputRank is >= 2;
        var constants = new List<(int Index, int Axis)>();
        for (var i = 0; i < node.Inputs.Count && ok; i++)
        {
            var operand = node.Inputs[i];
            if (_graph.TryGetConstant(operand, out var constant))
            {
                var channelAxis = constant.Dims.Count - (outputRank!.Value - 1);
                var isBroadcastScalar = constant.Dims.All(d => d == 1);
                if (isBroadcastScalar || channelAxis < 0)
                {
                    ok = isBroadcastScalar;
                    continue;
                }

                var otherAxesUnit = constant.Dims.Where((d, axis) => axis != channelAxis).All(d => d == 1);
                if (!otherAxesUnit || constant.DataType != 1)
                {
                    ok = false;
                    continue;
                }

                constants.Add((i, channelAxis));
                continue;
            }

            var layout = LayoutOf(operand);
            var rank = _shapes.ShapeOf(operand)?.Rank;
            if (layout is null || rank != outputRank)
            {
                ok = false;
                continue;
            }

            joined = joined is null ? layout : Union(joined, layout, node);
            ok = joined is not null;
        }

        if (!ok || joined is null)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"{node.OpType} '{node.Name}' with operands the graph cannot align"));
            return;
        }

        foreach (var (index, axis) in constants)
        {
            _graph.TryGetConstant(node.Inputs[index], out var constant);
            if (constant.Dims[axis] == Width(joined) && joined.All(s => s.Inner == 1))
            {
                _slices.Add(new ChannelSlice(node, index, axis, joined));
            }
            else if (constant.Dims[axis] != 1)
            {
                Block(joined, $"{node.OpType} '{node.Name}' with a constant of another channel count");
            }
        }

        SetLayout(node.Outputs[0], joined);
    }

    private void VisitConcat(Node node)
    {
        var rank = _shapes.ShapeOf(node.Outputs[0])?.Rank;
        var axis = node.GetInt("axis", 0);
        if (rank is not null && axis < 0)
        {
            axis += rank.Value;
        }

        var layouts = node.Inputs.Select(LayoutOf).ToArray();
        if (axis != 1 || layouts.Any(l => l is null || l.Any(s => s.Inner != 1)))
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Concat '{node.Name}' on axis {axis}"));
            return;
        }

        SetLayout(node.Outputs[0], layouts.SelectMany(l => l!).ToArray());
    }

    private void VisitFlatten(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var shape = _shapes.ShapeOf(node.Inputs[0]);
        var axis = node.GetInt("axis", 1);
        if (input is null || shape is null || axis != 1 || shape.Rank < 2 || input.Any(s => s.Inner != 1)
            || shape.Dims.Skip(2).Any(d => !d.IsKnown))
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Flatten '{node.Name}' (axis {axis}, spatial size unknown)"));
            return;
        }

        // NCHW flattened on axis 1: channel c becomes the column block [c·H·W, (c+1)·H·W).
        var inner = checked((int)shape.Dims.Skip(2).Aggregate(1L, (a, d) => a * d.Value!.Value));
        SetLayout(node.Outputs[0], input.Select(s => s with { Inner = inner }).ToArray());
    }

    /// <summary>
    /// A Reshape is followed only when it provably is Flatten(axis 1): input [N, C, H, W] with C, H, W known, a constant
    /// target of two entries, the first 0 (copy) or N itself, the second -1 or C·H·W. Anything else is a boundary.
    /// </summary>
    private void VisitReshape(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var shape = _shapes.ShapeOf(node.Inputs[0]);
        var flattens = input is not null && shape is { Rank: >= 2 } && shape.Dims.Skip(1).All(d => d.IsKnown) && input.All(s => s.Inner == 1)
            && node.GetInt("allowzero", 0) == 0
            && node.Inputs.Count > 1 && _graph.TryGetConstant(node.Inputs[1], out var found) && found.Dims.Count == 1 && found.Dims[0] == 2;
        var explicitWidth = false;
        if (flattens)
        {
            _graph.TryGetConstant(node.Inputs[1], out var target);
            var entries = Onnx.TensorData.ReadInt64s(target);
            var width = shape!.Dims.Skip(1).Aggregate(1L, (a, d) => a * d.Value!.Value);
            var batch = shape.Dims[0];
            flattens = (entries[0] == 0 || batch.IsKnown && entries[0] == batch.Value) && (entries[1] == -1 || entries[1] == width);
            explicitWidth = entries[1] != -1;
        }

        if (!flattens)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"Reshape '{node.Name}'"));
            return;
        }

        var inner = checked((int)shape!.Dims.Skip(2).Aggregate(1L, (a, d) => a * d.Value!.Value));
        var flattened = input!.Select(s => s with { Inner = inner }).ToArray();
        if (explicitWidth)
        {
            _flatteningReshapes.Add((node, flattened));
        }

        SetLayout(node.Outputs[0], flattened);
    }

    /// <summary>
    /// A reduction over spatial axes only (e.g. torchvision's <c>x.mean([2, 3])</c>, global pooling written as ReduceMean)
    /// keeps each channel on axis 1, with or without <c>keepdims</c>: [N, C, H, W] becomes [N, C, 1, 1] or [N, C]. Axes
    /// come from the attribute or, from opset 13 (ReduceSum) and 18 (the rest), a constant second input. A reduction that
    /// touches the batch or channel axis, or whose axes are not known, is a boundary.
    /// </summary>
    private void VisitReduce(Node node)
    {
        var input = LayoutOf(node.Inputs[0]);
        var rank = _shapes.ShapeOf(node.Inputs[0])?.Rank;
        long[]? axes = node.GetInts("axes")?.ToArray();
        if (axes is null && node.Inputs.Count > 1 && !node.Inputs[1].IsEmpty && _graph.TryGetConstant(node.Inputs[1], out var constant))
        {
            axes = Onnx.TensorData.ReadInt64s(constant);
        }

        var spatialOnly = input is not null && rank is >= 3 && input.All(s => s.Inner == 1) && axes is { Length: > 0 }
            && axes.Select(a => a < 0 ? a + rank.Value : a).All(a => a >= 2 && a < rank.Value);
        if (!spatialOnly)
        {
            BlockInputs(node);
            SetLayout(node.Outputs[0], Fresh(node.Outputs[0], $"{node.OpType} '{node.Name}'"));
            return;
        }

        SetLayout(node.Outputs[0], input);
    }

    private void VisitGemm(Node node)
    {
        var weight = OperatorTraits.Of(node).Weight!;
        var input = LayoutOf(node.Inputs[0]);
        var transA = node.GetInt("transA", 0);
        if (input is not null && transA == 0 && node.Inputs.Count > weight.Index && _graph.TryGetConstant(node.Inputs[weight.Index], out var b) && b.Dims.Count == 2 && b.DataType == 1)
        {
            _slices.Add(new ChannelSlice(node, weight.Index, weight.InputAxis(node), input));
        }
        else
        {
            Block(input, $"Gemm '{node.Name}' without a constant weight");
        }

        // A non-constant B or C carries channels the weight slice cannot follow, as for MatMul.
        BlockRest(node, 1);
        SetLayout(node.Outputs[0], Fresh(node.Outputs[0], null));
    }

    private void VisitMatMul(Node node)
    {
        var weight = OperatorTraits.Of(node).Weight!;
        var input = LayoutOf(node.Inputs[0]);
        var rank = _shapes.ShapeOf(node.Inputs[0])?.Rank;
        if (input is not null && rank == 2 && _graph.TryGetConstant(node.Inputs[weight.Index], out var b) && b.Dims.Count == 2 && b.DataType == 1)
        {
            _slices.Add(new ChannelSlice(node, weight.Index, weight.InputAxis(node), input));
        }
        else
        {
            Block(input, $"MatMul '{node.Name}'");
        }

        BlockRest(node, 1);
        SetLayout(node.Outputs[0], Fresh(node.Outputs[0], null));
    }

    private void BlockRest(Node node, int from)
    {
        foreach (var input in node.Inputs.Skip(from))
        {
            Block(LayoutOf(input), $"{node.OpType} '{node.Name}'");
        }
    }

    private void BlockInputs(Node node)
    {
        foreach (var input in node.Inputs)
        {
            Block(LayoutOf(input), $"{node.OpType} '{node.Name}'");
        }

        foreach (var output in node.Outputs.Where(o => !o.IsEmpty && !_layouts.ContainsKey(o)))
        {
            SetLayout(output, Fresh(output, $"{node.OpType} '{node.Name}'"));
        }
    }

    private IReadOnlyList<ChannelSegment>? LayoutOf(Value value)
    {
        if (value.IsEmpty || value.IsInitializer)
        {
            return null;
        }

        if (_layouts.TryGetValue(value, out var layout))
        {
            return layout;
        }

        // Graph inputs and values from untracked producers: their channels exist but no Conv can drop them.
        layout = Fresh(value, value.IsGraphInput ? $"graph input '{value.Name}'" : $"value '{value.Name}'");
        _layouts[value] = layout;
        return layout;
    }

    private IReadOnlyList<ChannelSegment>? Fresh(Value value, string? blocker)
    {
        var shape = _shapes.ShapeOf(value);
        if (shape is null || shape.Rank < 2 || !shape.Dims[1].IsKnown)
        {
            return null;
        }

        var group = NewGroup(checked((int)shape.Dims[1].Value!.Value));
        _groups[group].Blockers.Add(blocker ?? $"value '{value.Name}' has no prunable producer");
        return [new ChannelSegment(group, _groups[group].Size, 1)];
    }

    private void SetLayout(Value value, IReadOnlyList<ChannelSegment>? layout)
    {
        if (!value.IsEmpty)
        {
            _layouts[value] = layout;
        }
    }

    private int NewGroup(int size)
    {
        _groups.Add(new ChannelGroup(_groups.Count, size));
        _parent.Add(_parent.Count);
        return _groups.Count - 1;
    }

    private void Block(IReadOnlyList<ChannelSegment>? layout, string reason)
    {
        if (layout is null)
        {
            return;
        }

        foreach (var segment in layout)
        {
            var group = _groups[Find(segment.Group)];
            if (!group.Blockers.Contains(reason))
            {
                group.Blockers.Add(reason);
            }
        }
    }

    /// <summary>Joins two operands of an elementwise op channel by channel; null when their segment structure differs.</summary>
    private IReadOnlyList<ChannelSegment>? Union(IReadOnlyList<ChannelSegment> a, IReadOnlyList<ChannelSegment> b, Node node)
    {
        var left = Resolve(a);
        var right = Resolve(b);
        if (left.Count != right.Count || left.Zip(right).Any(p => p.First.Count != p.Second.Count || p.First.Inner != p.Second.Inner))
        {
            Block(left, $"{node.OpType} '{node.Name}' joins differently concatenated operands");
            Block(right, $"{node.OpType} '{node.Name}' joins differently concatenated operands");
            return null;
        }

        foreach (var (x, y) in left.Zip(right))
        {
            Merge(x.Group, y.Group);
        }

        return Resolve(left);
    }

    private void Merge(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB)
        {
            return;
        }

        _parent[rootB] = rootA;
        var target = _groups[rootA];
        var source = _groups[rootB];
        target.Producers.AddRange(source.Producers);
        target.Blockers.AddRange(source.Blockers.Where(r => !target.Blockers.Contains(r)));
    }

    private int Find(int id)
    {
        while (_parent[id] != id)
        {
            _parent[id] = _parent[_parent[id]];
            id = _parent[id];
        }

        return id;
    }

    private IReadOnlyList<ChannelSegment> Resolve(IReadOnlyList<ChannelSegment> layout) =>
        layout.Select(s => s with { Group = Find(s.Group) }).ToArray();

    private static int Width(IReadOnlyList<ChannelSegment> layout) => layout.Sum(s => s.Width);
}
