using CompressionTasks.Onnx.Graph;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Onnx.Shapes;

/// <summary>
/// One shape rule per operator, following the ONNX operator specifications (https://onnx.ai/onnx/operators/). Which
/// operators keep their input's shape, broadcast, or return bool comes from <see cref="OperatorTraits"/>.
/// </summary>
public sealed partial class ShapeInference
{
    /// <summary>Sets the node's output shapes; false when the operator is not modelled or an input shape is unknown.</summary>
    private bool InferNode(Node node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            return false;
        }

        if (node.OpType == "Constant")
        {
            return InferConstant(node);
        }

        var x = node.Inputs.Count > 0 ? ShapeOf(node.Inputs[0]) : null;
        if (x is null && node.OpType is not ("Concat" or "Where" or "Sum" or "Max" or "Min" or "Mean"))
        {
            return false;
        }

        var type = node.Inputs.Count > 0 ? TypeOf(node.Inputs[0]) : 0;
        var traits = OperatorTraits.Of(node.OpType);
        if (traits.Has(OperatorFacts.SameShape))
        {
            Set(node.Outputs[0], x!, traits.Has(OperatorFacts.BoolOutput) ? (int)DataType.Bool : type);
            if (node.OpType == "Dropout" && node.Outputs.Count > 1)
            {
                Set(node.Outputs[1], x!, (int)DataType.Bool);
            }

            if (node.OpType == "Identity" && Ints(node.Inputs[0]) is { } identity)
            {
                _folded[node.Outputs[0]] = identity;
            }

            return true;
        }

        if (traits.Has(OperatorFacts.Broadcasting))
        {
            return InferBroadcast(node, traits.Has(OperatorFacts.BoolOutput) ? (int)DataType.Bool : type);
        }

        return node.OpType switch
        {
            "Conv" => InferConv(node, x!),
            "ConvInteger" => InferConv(node, x!, outputType: (int)DataType.Int32),
            "QLinearConv" => InferConv(node, x!, weightIndex: 3, outputType: node.Inputs.Count > 7 ? TypeOf(node.Inputs[7]) : (int)DataType.Uint8),
            "DynamicQuantizeLinear" => InferDynamicQuantizeLinear(node, x!),
            "ConvTranspose" => InferConvTranspose(node, x!),
            "MaxPool" or "AveragePool" or "LpPool" => InferPool(node, x!),
            "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool" => Done(node, x!.Dims.Select((d, i) => i < 2 ? d : Dim.Of(1)), type),
            "Flatten" => InferFlatten(node, x!),
            "Reshape" => InferReshape(node, x!),
            "Gemm" => InferGemm(node, x!),
            "MatMul" or "MatMulInteger" => InferMatMul(node, x!),
            "Concat" => InferConcat(node),
            "Transpose" => InferTranspose(node, x!),
            "Squeeze" => InferSqueeze(node, x!),
            "Unsqueeze" => InferUnsqueeze(node, x!),
            "Pad" => InferPad(node, x!),
            "Shape" => InferShape(node, x!),
            "Size" => Done(node, [], (int)DataType.Int64),
            "Gather" => InferGather(node, x!),
            "Cast" => InferCast(node, x!),
            "QuantizeLinear" => Done(node, x!.Dims, node.Inputs.Count > 2 && !node.Inputs[2].IsEmpty ? TypeOf(node.Inputs[2]) : (int)DataType.Uint8),
            "DequantizeLinear" => Done(node, x!.Dims, node.Inputs.Count > 1 ? TypeOf(node.Inputs[1]) : (int)DataType.Float),
            "Slice" => InferSlice(node, x!),
            "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL2" or "ReduceL1"
                or "ReduceSumSquare" or "ReduceLogSumExp" or "ArgMax" or "ArgMin" => InferReduce(node, x!),
            "Where" => InferBroadcast(node, node.Inputs.Count > 1 ? TypeOf(node.Inputs[1]) : 0),
            "Expand" => InferExpand(node, x!),
            "ConstantOfShape" => InferConstantOfShape(node),
            "Split" => InferSplit(node, x!),
            _ => false,
        };
    }

    private bool Done(Node node, IEnumerable<Dim> dims, int elementType)
    {
        Set(node.Outputs[0], dims, elementType);
        return true;
    }

    private bool InferConstant(Node node)
    {
        var tensor = OnnxGraph.ConstantNodeTensor(node);
        if (tensor is null)
        {
            return false;
        }

        Set(node.Outputs[0], TensorShape.Of([.. tensor.Dims]), tensor.DataType);
        return true;
    }

    private bool InferBroadcast(Node node, int elementType)
    {
        var inputs = node.Inputs.Select(ShapeOf).ToList();
        if (inputs.Any(s => s is null))
        {
            return false;
        }

        Set(node.Outputs[0], Broadcast(node, inputs!), elementType);
        if (node.OpType is "Add" or "Sub" or "Mul" or "Div" && node.Inputs.Count == 2)
        {
            FoldArithmetic(node);
        }

        return true;
    }

    /// <summary>Integer arithmetic on shape values (<c>batch * 64</c>) as exporters emit for view/reshape.</summary>
    private void FoldArithmetic(Node node)
    {
        if (Ints(node.Inputs[0]) is not { } a || Ints(node.Inputs[1]) is not { } b || !IsInteger(TypeOf(node.Inputs[0])))
        {
            return;
        }

        var length = Math.Max(a.Length, b.Length);
        if ((a.Length != length && a.Length != 1) || (b.Length != length && b.Length != 1))
        {
            return;
        }

        var result = new Dim[length];
        for (var i = 0; i < length; i++)
        {
            var (l, r) = (a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i]);
            result[i] = (node.OpType, l.Value, r.Value) switch
            {
                ("Add", { } p, { } q) => p + q,
                ("Sub", { } p, { } q) => p - q,
                ("Mul", { } p, { } q) => p * q,
                ("Div", { } p, { } q) when q != 0 => p / q,
                ("Mul", 1, _) => r,
                ("Mul" or "Div", _, 1) => l,
                ("Add" or "Sub", _, 0) => l,
                _ => Dim.Unknown,
            };
        }

        _folded[node.Outputs[0]] = result;
    }

    /// <summary>DynamicQuantizeLinear: y (uint8, shape of x), y_scale (float scalar), y_zero_point (uint8 scalar).</summary>
    private bool InferDynamicQuantizeLinear(Node node, TensorShape x)
    {
        Set(node.Outputs[0], x, (int)DataType.Uint8);
        if (node.Outputs.Count > 1)
        {
            Set(node.Outputs[1], Array.Empty<Dim>(), (int)DataType.Float);
        }

        if (node.Outputs.Count > 2)
        {
            Set(node.Outputs[2], Array.Empty<Dim>(), (int)DataType.Uint8);
        }

        return true;
    }

    /// <summary>Conv and its integer forms: ConvInteger (int32 out) and QLinearConv (weight is input 3, type of y_zero_point out).</summary>
    private bool InferConv(Node node, TensorShape x, int weightIndex = 1, int? outputType = null)
    {
        if (node.Inputs.Count <= weightIndex || ShapeOf(node.Inputs[weightIndex]) is not { } w)
        {
            return false;
        }

        var spatial = x.Rank - 2;
        if (spatial < 1 || w.Rank != x.Rank)
        {
            throw Fail(node, $"input {x} and weight {w} ranks do not fit a convolution");
        }

        var group = node.GetInt("group", 1);
        if (x[1].Value is { } channels && w[1].Value is { } perGroup && channels != perGroup * group)
        {
            throw Fail(node, $"input has {channels} channels but weight {w} with group {group} expects {perGroup * group}");
        }

        var kernel = node.GetInts("kernel_shape") ?? [.. w.Dims.Skip(2).Select(d => d.Value ?? 0)];
        var dims = new List<Dim> { x[0], w[0] };
        dims.AddRange(SpatialOutput(node, x, kernel, ceilMode: false));
        Set(node.Outputs[0], dims, outputType ?? TypeOf(node.Inputs[0]));
        return true;
    }

    private bool InferConvTranspose(Node node, TensorShape x)
    {
        if (node.Inputs.Count < 2 || ShapeOf(node.Inputs[1]) is not { } w || w.Rank != x.Rank)
        {
            return false;
        }

        var spatial = x.Rank - 2;
        var group = node.GetInt("group", 1);
        var kernel = node.GetInts("kernel_shape") ?? [.. w.Dims.Skip(2).Select(d => d.Value ?? 0)];
        var strides = node.GetInts("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dilations = node.GetInts("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = node.GetInts("pads") ?? new long[spatial * 2];
        var outputPadding = node.GetInts("output_padding") ?? new long[spatial];
        var explicitShape = node.GetInts("output_shape");
        var dims = new List<Dim> { x[0], w[1].Value is { } m ? Dim.Of(m * group) : Dim.Unknown };
        for (var i = 0; i < spatial; i++)
        {
            dims.Add(explicitShape is not null ? Dim.Of(explicitShape[^(spatial - i)])
                : x[i + 2].Value is { } input
                    ? Dim.Of((strides[i] * (input - 1)) + outputPadding[i] + ((kernel[i] - 1) * dilations[i]) + 1 - pads[i] - pads[i + spatial])
                    : Dim.Unknown);
        }

        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        return true;
    }

    private bool InferPool(Node node, TensorShape x)
    {
        var kernel = node.GetInts("kernel_shape") ?? throw Fail(node, "has no kernel_shape");
        var dims = new List<Dim> { x[0], x[1] };
        dims.AddRange(SpatialOutput(node, x, kernel, node.GetInt("ceil_mode", 0) != 0));
        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        if (node.Outputs.Count > 1)
        {
            Set(node.Outputs[1], dims, (int)DataType.Int64);
        }

        return true;
    }

    /// <summary>A stride or dilation below 1 (a division by zero) or attribute lists of the wrong length come only from a corrupt model.</summary>
    private static void CheckWindowAttributes(Node node, int spatial, IReadOnlyList<long> strides, IReadOnlyList<long> dilations, IReadOnlyList<long> pads)
    {
        if (strides.Count != spatial || strides.Any(v => v < 1))
        {
            throw Fail(node, $"strides [{string.Join(", ", strides)}] must hold {spatial} values of at least 1");
        }

        if (dilations.Count != spatial || dilations.Any(v => v < 1))
        {
            throw Fail(node, $"dilations [{string.Join(", ", dilations)}] must hold {spatial} values of at least 1");
        }

        if (pads.Count != spatial * 2 || pads.Any(v => v < 0))
        {
            throw Fail(node, $"pads [{string.Join(", ", pads)}] must hold {spatial * 2} values of at least 0");
        }
    }

    /// <summary>Output spatial dims for Conv and pooling: explicit pads, or auto_pad SAME_UPPER/SAME_LOWER/VALID.</summary>
    private static IEnumerable<Dim> SpatialOutput(Node node, TensorShape x, IReadOnlyList<long> kernel, bool ceilMode)
    {
        var spatial = x.Rank - 2;
        if (kernel.Count != spatial)
        {
            throw Fail(node, $"kernel_shape has {kernel.Count} dims but the input {x} has {spatial} spatial dims");
        }

        var strides = node.GetInts("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dilations = node.GetInts("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = node.GetInts("pads") ?? new long[spatial * 2];
        CheckWindowAttributes(node, spatial, strides, dilations, pads);
        var autoPad = node.GetString("auto_pad", "NOTSET");
        for (var i = 0; i < spatial; i++)
        {
            if (x[i + 2].Value is not { } input)
            {
                yield return Dim.Unknown;
                continue;
            }

            var stride = strides[i];
            var effectiveKernel = ((kernel[i] - 1) * dilations[i]) + 1;
            switch (autoPad)
            {
                case "SAME_UPPER" or "SAME_LOWER":
                    yield return (input + stride - 1) / stride;
                    break;
                case "VALID":
                    yield return ((input - effectiveKernel) / stride) + 1;
                    break;
                default:
                    var span = input + pads[i] + pads[i + spatial] - effectiveKernel;
                    if (span < 0)
                    {
                        throw Fail(node, $"kernel {effectiveKernel} is larger than the padded input {input + pads[i] + pads[i + spatial]} on axis {i + 2}");
                    }

                    var output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;

                    // With ceil_mode the last window must start inside the input or its leading padding.
                    if (ceilMode && (output - 1) * stride >= input + pads[i])
                    {
                        output--;
                    }

                    yield return output;
                    break;
            }
        }
    }

    private bool InferFlatten(Node node, TensorShape x)
    {
        var axis = x.Rank == 0 ? 0 : (int)(node.GetInt("axis", 1) is var a && a < 0 ? a + x.Rank : a);
        return Done(node, [Product(x.Dims.Take(axis)), Product(x.Dims.Skip(axis))], TypeOf(node.Inputs[0]));
    }

    private bool InferReshape(Node node, TensorShape x)
    {
        var target = node.Inputs.Count > 1 ? Ints(node.Inputs[1]) : node.GetInts("shape")?.Select(Dim.Of).ToArray();
        if (target is null)
        {
            return false;
        }

        var allowZero = node.GetInt("allowzero", 0) != 0;
        var dims = new Dim[target.Length];
        var inferIndex = -1;
        for (var i = 0; i < target.Length; i++)
        {
            dims[i] = target[i] switch
            {
                { Value: 0 } when !allowZero => i < x.Rank ? x[i] : throw Fail(node, $"shape copies dim {i} that the input {x} lacks"),
                { Value: -1 } => Dim.Unknown,
                var d => d,
            };
            if (target[i].Value == -1)
            {
                inferIndex = inferIndex < 0 ? i : throw Fail(node, "shape has more than one -1");
            }
        }

        if (inferIndex >= 0)
        {
            dims[inferIndex] = InferMissingDim(node, x, dims, inferIndex);
        }
        else if (x.ElementCount is { } inputCount && new TensorShape(dims).ElementCount is { } outputCount && inputCount != outputCount)
        {
            throw Fail(node, $"cannot reshape {x} ({inputCount} elements) to {new TensorShape(dims)} ({outputCount} elements)");
        }

        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        return true;
    }

    /// <summary>The -1 of a Reshape: input elements over the other output dims, cancelling symbols that appear on both sides.</summary>
    private static Dim InferMissingDim(Node node, TensorShape x, Dim[] dims, int inferIndex)
    {
        var symbols = x.Dims.Where(d => !d.IsKnown).ToList();
        long inputKnown = x.Dims.Where(d => d.IsKnown).Aggregate(1L, (p, d) => p * d.Value!.Value);
        long outputKnown = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            if (i == inferIndex)
            {
                continue;
            }

            if (dims[i].Value is { } value)
            {
                outputKnown *= value;
            }
            else if (dims[i].Symbol is not null && symbols.Remove(dims[i]))
            {
                continue;
            }
            else
            {
                return Dim.Unknown;
            }
        }

        if (outputKnown == 0 || inputKnown % outputKnown != 0)
        {
            if (symbols.Count == 0)
            {
                throw Fail(node, $"cannot reshape {x} to [{string.Join(", ", dims.Select((d, i) => i == inferIndex ? "-1" : d.ToString()))}]");
            }

            return Dim.Unknown;
        }

        var quotient = inputKnown / outputKnown;
        return symbols.Count switch
        {
            0 => Dim.Of(quotient),
            1 when quotient == 1 && symbols[0].Symbol is not null => symbols[0],
            _ => Dim.Unknown,
        };
    }

    private bool InferGemm(Node node, TensorShape a)
    {
        if (node.Inputs.Count < 2 || ShapeOf(node.Inputs[1]) is not { } b)
        {
            return false;
        }

        if (a.Rank != 2 || b.Rank != 2)
        {
            throw Fail(node, $"Gemm needs 2-D inputs, got {a} and {b}");
        }

        var transA = node.GetInt("transA", 0) != 0;
        var transB = node.GetInt("transB", 0) != 0;
        var (m, ka) = transA ? (a[1], a[0]) : (a[0], a[1]);
        var (kb, n) = transB ? (b[1], b[0]) : (b[0], b[1]);
        if (ka.IsKnown && kb.IsKnown && ka.Value != kb.Value)
        {
            throw Fail(node, $"inner dims differ: A {a}{(transA ? "ᵀ" : string.Empty)} and B {b}{(transB ? "ᵀ" : string.Empty)}");
        }

        return Done(node, [m, n], TypeOf(node.Inputs[0]));
    }

    private bool InferMatMul(Node node, TensorShape a)
    {
        if (node.Inputs.Count < 2 || ShapeOf(node.Inputs[1]) is not { } b)
        {
            return false;
        }

        // numpy.matmul: 1-D operands are promoted to matrices, then the promoted dim is dropped from the result.
        var left = a.Rank == 1 ? new TensorShape([Dim.Of(1), a[0]]) : a;
        var right = b.Rank == 1 ? new TensorShape([b[0], Dim.Of(1)]) : b;
        if (left.Rank < 2 || right.Rank < 2)
        {
            throw Fail(node, $"MatMul of scalars {a} and {b}");
        }

        var (k1, k2) = (left[left.Rank - 1], right[right.Rank - 2]);
        if (k1.IsKnown && k2.IsKnown && k1.Value != k2.Value)
        {
            throw Fail(node, $"inner dims differ: {a} × {b}");
        }

        var batch = Broadcast(node, [new TensorShape(left.Dims.Take(left.Rank - 2).ToArray()), new TensorShape(right.Dims.Take(right.Rank - 2).ToArray())]);
        var dims = batch.Dims.ToList();
        if (a.Rank > 1)
        {
            dims.Add(left[left.Rank - 2]);
        }

        if (b.Rank > 1)
        {
            dims.Add(right[right.Rank - 1]);
        }

        return Done(node, dims, node.OpType == "MatMulInteger" ? (int)DataType.Int32 : TypeOf(node.Inputs[0]));
    }

    private bool InferConcat(Node node)
    {
        var inputs = node.Inputs.Where(i => !i.IsEmpty).Select(ShapeOf).ToList();
        if (inputs.Count == 0 || inputs.Any(s => s is null))
        {
            return false;
        }

        var rank = inputs[0]!.Rank;
        if (inputs.Any(s => s!.Rank != rank))
        {
            throw Fail(node, $"inputs have different ranks: {string.Join(", ", inputs)}");
        }

        var axis = NormalizeAxis(node.GetInt("axis", 0), rank, node);
        var dims = inputs[0]!.Dims.ToArray();
        dims[axis] = Sum(inputs.Select(s => s![axis]));
        for (var i = 0; i < rank; i++)
        {
            if (i != axis && !dims[i].IsKnown)
            {
                dims[i] = inputs.Select(s => s![i]).FirstOrDefault(d => d.IsKnown, dims[i]);
            }
        }

        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        if (rank == 1 && node.Inputs.Select(Ints).ToList() is var parts && parts.All(p => p is not null))
        {
            _folded[node.Outputs[0]] = [.. parts.SelectMany(p => p!)];
        }

        return true;
    }

    private static Dim Sum(IEnumerable<Dim> dims)
    {
        long total = 0;
        foreach (var dim in dims)
        {
            if (dim.Value is not { } value)
            {
                return Dim.Unknown;
            }

            total += value;
        }

        return total;
    }

    private bool InferTranspose(Node node, TensorShape x)
    {
        var perm = node.GetInts("perm") ?? [.. Enumerable.Range(0, x.Rank).Reverse().Select(i => (long)i)];
        if (perm.Count != x.Rank)
        {
            throw Fail(node, $"perm [{string.Join(", ", perm)}] does not fit input {x}");
        }

        return Done(node, perm.Select(p => x[NormalizeAxis(p, x.Rank, node)]), TypeOf(node.Inputs[0]));
    }

    /// <summary>Axes from the attribute (opset &lt; 13) or the second input (opset ≥ 13), whichever the node has.</summary>
    private long[]? Axes(Node node, int inputIndex = 1) =>
        node.Inputs.Count > inputIndex && !node.Inputs[inputIndex].IsEmpty ? KnownInts(node.Inputs[inputIndex]) : node.GetInts("axes")?.ToArray();

    private bool HasAxesInput(Node node, int inputIndex = 1) => node.Inputs.Count > inputIndex && !node.Inputs[inputIndex].IsEmpty;

    private bool InferSqueeze(Node node, TensorShape x)
    {
        var axes = Axes(node);
        if (axes is null && HasAxesInput(node))
        {
            return false;
        }

        HashSet<int> remove;
        if (axes is null)
        {
            if (!x.IsFullyKnown)
            {
                return false;
            }

            remove = [.. Enumerable.Range(0, x.Rank).Where(i => x[i].Value == 1)];
        }
        else
        {
            remove = [.. axes.Select(a => NormalizeAxis(a, x.Rank, node))];
        }

        Set(node.Outputs[0], x.Dims.Where((_, i) => !remove.Contains(i)), TypeOf(node.Inputs[0]));
        if (Ints(node.Inputs[0]) is { Length: 1 } single && x.Rank == 1)
        {
            _folded[node.Outputs[0]] = single;
        }

        return true;
    }

    private bool InferUnsqueeze(Node node, TensorShape x)
    {
        var axes = Axes(node);
        if (axes is null)
        {
            return false;
        }

        var rank = x.Rank + axes.Length;
        var inserted = axes.Select(a => NormalizeAxis(a, rank, node)).ToHashSet();
        var dims = new List<Dim>(rank);
        var next = 0;
        for (var i = 0; i < rank; i++)
        {
            dims.Add(inserted.Contains(i) ? Dim.Of(1) : x[next++]);
        }

        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        if (Ints(node.Inputs[0]) is { } values && x.Rank <= 1)
        {
            _folded[node.Outputs[0]] = values;
        }

        return true;
    }

    private bool InferPad(Node node, TensorShape x)
    {
        var pads = node.Inputs.Count > 1 ? KnownInts(node.Inputs[1]) : node.GetInts("pads")?.ToArray();
        if (pads is null)
        {
            return false;
        }

        var axes = node.Inputs.Count > 3 && !node.Inputs[3].IsEmpty
            ? KnownInts(node.Inputs[3])?.Select(a => NormalizeAxis(a, x.Rank, node)).ToArray()
            : [.. Enumerable.Range(0, x.Rank)];
        if (axes is null || pads.Length != axes.Length * 2)
        {
            return false;
        }

        var dims = x.Dims.ToArray();
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = axes[i];
            dims[axis] = dims[axis].Value is { } value ? Dim.Of(value + pads[i] + pads[i + axes.Length]) : Dim.Unknown;
        }

        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        return true;
    }

    private bool InferShape(Node node, TensorShape x)
    {
        var start = (int)node.GetInt("start", 0);
        var end = (int)node.GetInt("end", x.Rank);
        start = Math.Clamp(start < 0 ? start + x.Rank : start, 0, x.Rank);
        end = Math.Clamp(end < 0 ? end + x.Rank : end, 0, x.Rank);
        Fold(node.Outputs[0], [.. x.Dims.Skip(start).Take(Math.Max(0, end - start))], scalar: false);
        return true;
    }

    private bool InferGather(Node node, TensorShape data)
    {
        if (node.Inputs.Count < 2 || ShapeOf(node.Inputs[1]) is not { } indices)
        {
            return false;
        }

        var axis = NormalizeAxis(node.GetInt("axis", 0), data.Rank, node);
        var dims = data.Dims.Take(axis).Concat(indices.Dims).Concat(data.Dims.Skip(axis + 1));
        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        if (axis == 0 && data.Rank == 1 && Ints(node.Inputs[0]) is { } values && KnownInts(node.Inputs[1]) is { } picks
            && picks.All(p => p >= -values.Length && p < values.Length))
        {
            _folded[node.Outputs[0]] = [.. picks.Select(p => values[p < 0 ? p + values.Length : p])];
        }

        return true;
    }

    private bool InferCast(Node node, TensorShape x)
    {
        Set(node.Outputs[0], x, (int)node.GetInt("to", TypeOf(node.Inputs[0])));
        if (Ints(node.Inputs[0]) is { } values && IsInteger((int)node.GetInt("to", 0)))
        {
            _folded[node.Outputs[0]] = values;
        }

        return true;
    }

    private bool InferSlice(Node node, TensorShape x)
    {
        var useInputs = node.Inputs.Count > 1;
        var starts = useInputs ? KnownInts(node.Inputs[1]) : node.GetInts("starts")?.ToArray();
        var ends = useInputs && node.Inputs.Count > 2 ? KnownInts(node.Inputs[2]) : node.GetInts("ends")?.ToArray();
        if (starts is null || ends is null)
        {
            return false;
        }

        var axes = useInputs ? (node.Inputs.Count > 3 && !node.Inputs[3].IsEmpty ? KnownInts(node.Inputs[3]) : null) : node.GetInts("axes")?.ToArray();
        var steps = useInputs && node.Inputs.Count > 4 && !node.Inputs[4].IsEmpty ? KnownInts(node.Inputs[4]) : null;
        if ((useInputs && node.Inputs.Count > 3 && !node.Inputs[3].IsEmpty && axes is null) || (node.Inputs.Count > 4 && !node.Inputs[4].IsEmpty && steps is null))
        {
            return false;
        }

        axes ??= [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        steps ??= [.. Enumerable.Repeat(1L, starts.Length)];
        var dims = x.Dims.ToArray();
        var ranges = new (long Start, long Step, long Count)[x.Rank];
        for (var i = 0; i < x.Rank; i++)
        {
            ranges[i] = (0, 1, dims[i].Value ?? -1);
        }

        for (var i = 0; i < starts.Length; i++)
        {
            var axis = NormalizeAxis(axes[i], x.Rank, node);
            if (dims[axis].Value is not { } size)
            {
                dims[axis] = Dim.Unknown;
                continue;
            }

            var step = steps[i];
            if (step == 0)
            {
                throw Fail(node, "step is 0");
            }

            var start = Clamp(starts[i], size, step);
            var end = Clamp(ends[i], size, step);
            var count = step > 0 ? Math.Max(0, (end - start + step - 1) / step) : Math.Max(0, (start - end - step - 1) / -step);
            dims[axis] = count;
            ranges[axis] = (start, step, count);
        }

        Set(node.Outputs[0], dims, TypeOf(node.Inputs[0]));
        if (x.Rank == 1 && Ints(node.Inputs[0]) is { } values && ranges[0].Count >= 0)
        {
            _folded[node.Outputs[0]] = [.. Enumerable.Range(0, (int)ranges[0].Count).Select(k => values[ranges[0].Start + (k * ranges[0].Step)])];
        }

        return true;

        static long Clamp(long index, long size, long step)
        {
            if (index < 0)
            {
                index += size;
            }

            return step > 0 ? Math.Clamp(index, 0, size) : Math.Clamp(index, -1, size - 1);
        }
    }

    private bool InferReduce(Node node, TensorShape x)
    {
        var keepDims = node.GetInt("keepdims", 1) != 0;
        long[]? axes;
        if (node.OpType is "ArgMax" or "ArgMin")
        {
            axes = [node.GetInt("axis", 0)];
        }
        else
        {
            axes = Axes(node);
            if (axes is null && HasAxesInput(node))
            {
                return false;
            }
        }

        var reduced = axes is null || (axes.Length == 0 && node.GetInt("noop_with_empty_axes", 0) == 0)
            ? Enumerable.Range(0, x.Rank).ToHashSet()
            : axes.Select(a => NormalizeAxis(a, x.Rank, node)).ToHashSet();
        var dims = new List<Dim>();
        for (var i = 0; i < x.Rank; i++)
        {
            if (!reduced.Contains(i))
            {
                dims.Add(x[i]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }

        return Done(node, dims, node.OpType is "ArgMax" or "ArgMin" ? (int)DataType.Int64 : TypeOf(node.Inputs[0]));
    }

    private bool InferExpand(Node node, TensorShape x)
    {
        if (node.Inputs.Count < 2 || Ints(node.Inputs[1]) is not { } shape)
        {
            return false;
        }

        Set(node.Outputs[0], Broadcast(node, [x, new TensorShape(shape)]), TypeOf(node.Inputs[0]));
        return true;
    }

    private bool InferConstantOfShape(Node node)
    {
        if (Ints(node.Inputs[0]) is not { } shape)
        {
            return false;
        }

        var value = node.Attribute("value")?.T;
        return Done(node, shape, value?.DataType ?? (int)DataType.Float);
    }

    private bool InferSplit(Node node, TensorShape x)
    {
        var axis = NormalizeAxis(node.GetInt("axis", 0), x.Rank, node);
        var split = node.Inputs.Count > 1 && !node.Inputs[1].IsEmpty ? KnownInts(node.Inputs[1]) : node.GetInts("split")?.ToArray();
        var outputs = node.Outputs.Count;
        if (split is null)
        {
            if (x[axis].Value is not { } size)
            {
                return false;
            }

            var chunk = (size + outputs - 1) / outputs;
            split = [.. Enumerable.Range(0, outputs).Select(i => Math.Min(chunk, size - (chunk * i)))];
        }

        for (var i = 0; i < outputs; i++)
        {
            var dims = x.Dims.ToArray();
            dims[axis] = split[i];
            Set(node.Outputs[i], dims, TypeOf(node.Inputs[0]));
        }

        return true;
    }
}
