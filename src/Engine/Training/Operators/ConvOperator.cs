using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// 2-D <c>Conv</c> (groups, strides, asymmetric pads, dilations) as im2col followed by one GEMM per group over the
/// whole batch, so the product is wide enough to keep the micro-kernel busy. Backward recomputes the columns rather
/// than keeping them, trading a cheap copy for the largest buffer of the forward pass.
/// </summary>
public sealed class ConvOperator<T> : TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _groups;
    private readonly int[] _strides;
    private readonly int[] _pads;
    private readonly int[] _dilations;

    public ConvOperator(Node node)
        : base(node)
    {
        OperatorAttributes.RequireExplicitPads(node);
        _groups = checked((int)node.GetInt("group", 1));
        _strides = OperatorAttributes.Ints(node, "strides", 2, 1);
        _pads = OperatorAttributes.Ints(node, "pads", 4, 0);
        _dilations = OperatorAttributes.Ints(node, "dilations", 2, 1);
    }

    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var w = inputs[1]!;
        var bias = inputs.Length > 2 ? inputs[2] : null;
        var g = Geometry(x, w);
        var col = Im2Col(x, w, g);
        var product = new T[g.OutChannels * g.Columns];
        var mg = g.OutChannels / _groups;
        for (var group = 0; group < _groups; group++)
        {
            MatrixMultiply.Multiply(
                new MatrixView<T>(w.Data, group * mg * g.PatchRows, g.PatchRows),
                new MatrixView<T>(col, group * g.PatchRows * g.Columns, g.Columns),
                new MatrixView<T>(product, group * mg * g.Columns, g.Columns),
                mg, g.Columns, g.PatchRows, accumulate: false);
        }

        var y = new TrainingTensor<T>(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        var plane = g.OutHeight * g.OutWidth;
        ParallelWork.For(g.Batch * g.OutChannels, plane, index =>
        {
            var n = index / g.OutChannels;
            var m = index % g.OutChannels;
            var source = product.AsSpan(m * g.Columns + n * plane, plane);
            var target = y.Data.AsSpan(index * plane, plane);
            if (bias is null)
            {
                source.CopyTo(target);
            }
            else
            {
                TensorPrimitives.Add(source, bias.Data[m], target);
            }
        });
        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var x = inputs[0]!;
        var w = inputs[1]!;
        var dy = outputGradients[0]!;
        var g = Geometry(x, w);
        var plane = g.OutHeight * g.OutWidth;
        var grads = new TrainingTensor<T>?[inputs.Length];

        // dY as [M, N·OH·OW], the layout the forward product had.
        var dyColumns = new T[g.OutChannels * g.Columns];
        ParallelWork.For(g.Batch * g.OutChannels, plane, index =>
        {
            var n = index / g.OutChannels;
            var m = index % g.OutChannels;
            dy.Data.AsSpan(index * plane, plane).CopyTo(dyColumns.AsSpan(m * g.Columns + n * plane, plane));
        });

        var mg = g.OutChannels / _groups;
        if (inputs.Length > 2 && needsGradient[2])
        {
            var db = new TrainingTensor<T>(g.OutChannels);
            for (var m = 0; m < g.OutChannels; m++)
            {
                db.Data[m] = TensorPrimitives.Sum<T>(dyColumns.AsSpan(m * g.Columns, g.Columns));
            }

            grads[2] = db;
        }

        if (needsGradient[1])
        {
            var col = Im2Col(x, w, g);
            var dw = new TrainingTensor<T>((int[])w.Shape.Clone());
            for (var group = 0; group < _groups; group++)
            {
                MatrixMultiply.Multiply(
                    new MatrixView<T>(dyColumns, group * mg * g.Columns, g.Columns),
                    new MatrixView<T>(col, group * g.PatchRows * g.Columns, g.Columns, Transposed: true),
                    new MatrixView<T>(dw.Data, group * mg * g.PatchRows, g.PatchRows),
                    mg, g.PatchRows, g.Columns, accumulate: false);
            }

            grads[1] = dw;
        }

        if (needsGradient[0])
        {
            var dcol = new T[_groups * g.PatchRows * g.Columns];
            for (var group = 0; group < _groups; group++)
            {
                MatrixMultiply.Multiply(
                    new MatrixView<T>(w.Data, group * mg * g.PatchRows, g.PatchRows, Transposed: true),
                    new MatrixView<T>(dyColumns, group * mg * g.Columns, g.Columns),
                    new MatrixView<T>(dcol, group * g.PatchRows * g.Columns, g.Columns),
                    g.PatchRows, g.Columns, mg, accumulate: false);
            }

            grads[0] = Col2Im(dcol, x, w, g);
        }

        return grads;
    }

    private ConvGeometry Geometry(TrainingTensor<T> x, TrainingTensor<T> w)
    {
        OperatorAttributes.RequireRank(Node, x, 4);
        OperatorAttributes.RequireRank(Node, w, 4);
        var (n, c, h, wd) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (m, cg, kh, kw) = (w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3]);
        if (cg * _groups != c || m % _groups != 0)
        {
            throw OperatorAttributes.Unsupported(Node, $"weight {w} does not match input {x} with {_groups} groups");
        }

        var oh = ((h + _pads[0] + _pads[2] - (_dilations[0] * (kh - 1)) - 1) / _strides[0]) + 1;
        var ow = ((wd + _pads[1] + _pads[3] - (_dilations[1] * (kw - 1)) - 1) / _strides[1]) + 1;
        return new ConvGeometry(n, c, h, wd, m, kh, kw, oh, ow, cg * kh * kw, n * oh * ow);
    }

    /// <summary>Columns [C·KH·KW, N·OH·OW]: row (c, i, j) holds the input pixel each output position sees through tap (i, j).</summary>
    private T[] Im2Col(TrainingTensor<T> x, TrainingTensor<T> w, ConvGeometry g)
    {
        var rows = g.Channels * g.KernelHeight * g.KernelWidth;
        var col = new T[(long)rows * g.Columns];
        var xData = x.Data;
        ParallelWork.For(rows, g.Columns, row =>
        {
            var c = row / (g.KernelHeight * g.KernelWidth);
            var ki = row / g.KernelWidth % g.KernelHeight;
            var kj = row % g.KernelWidth;
            var target = col.AsSpan(row * g.Columns, g.Columns);
            var t = 0;
            for (var n = 0; n < g.Batch; n++)
            {
                var planeOffset = ((n * g.Channels) + c) * g.Height * g.Width;
                for (var oh = 0; oh < g.OutHeight; oh++)
                {
                    var ih = (oh * _strides[0]) - _pads[0] + (ki * _dilations[0]);
                    if (ih < 0 || ih >= g.Height)
                    {
                        target.Slice(t, g.OutWidth).Clear();
                        t += g.OutWidth;
                        continue;
                    }

                    var rowOffset = planeOffset + (ih * g.Width);
                    var (first, last) = ValidColumns(kj, g);
                    target.Slice(t, first).Clear();
                    if (_strides[1] == 1)
                    {
                        var start = first - _pads[1] + (kj * _dilations[1]);
                        xData.AsSpan(rowOffset + start, last - first).CopyTo(target.Slice(t + first, last - first));
                    }
                    else
                    {
                        for (var ow = first; ow < last; ow++)
                        {
                            target[t + ow] = xData[rowOffset + (ow * _strides[1]) - _pads[1] + (kj * _dilations[1])];
                        }
                    }

                    target.Slice(t + last, g.OutWidth - last).Clear();
                    t += g.OutWidth;
                }
            }
        });
        return col;
    }

    /// <summary>Output columns [first, last) whose tap <paramref name="kj"/> reads inside the input row (the rest read padding).</summary>
    private (int First, int Last) ValidColumns(int kj, ConvGeometry g)
    {
        var offset = (kj * _dilations[1]) - _pads[1];
        var first = offset >= 0 ? 0 : Math.Min(g.OutWidth, (-offset + _strides[1] - 1) / _strides[1]);
        var last = Math.Clamp(((g.Width - 1 - offset) / _strides[1]) + 1, first, g.OutWidth);
        if (g.Width - 1 - offset < 0)
        {
            last = first;
        }

        return (first, last);
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: sums every column entry back into the input pixel it was read from.</summary>
    private TrainingTensor<T> Col2Im(T[] dcol, TrainingTensor<T> x, TrainingTensor<T> w, ConvGeometry g)
    {
        var dx = new TrainingTensor<T>((int[])x.Shape.Clone());
        var kk = g.KernelHeight * g.KernelWidth;

        // One task per (image, channel) plane: every tap of that plane writes only into it, so no two tasks collide.
        ParallelWork.For(g.Batch * g.Channels, (long)kk * g.OutHeight * g.OutWidth, index =>
        {
            var n = index / g.Channels;
            var c = index % g.Channels;
            var plane = dx.Data.AsSpan(index * g.Height * g.Width, g.Height * g.Width);
            for (var tap = 0; tap < kk; tap++)
            {
                var ki = tap / g.KernelWidth;
                var kj = tap % g.KernelWidth;
                var source = dcol.AsSpan(((c * kk) + tap) * g.Columns + (n * g.OutHeight * g.OutWidth), g.OutHeight * g.OutWidth);
                for (var oh = 0; oh < g.OutHeight; oh++)
                {
                    var ih = (oh * _strides[0]) - _pads[0] + (ki * _dilations[0]);
                    if (ih < 0 || ih >= g.Height)
                    {
                        continue;
                    }

                    var (first, last) = ValidColumns(kj, g);
                    var row = plane.Slice(ih * g.Width);
                    var gradients = source.Slice(oh * g.OutWidth);
                    if (_strides[1] == 1 && last > first)
                    {
                        var start = first - _pads[1] + (kj * _dilations[1]);
                        var segment = row.Slice(start, last - first);
                        TensorPrimitives.Add(segment, gradients.Slice(first, last - first), segment);
                    }
                    else
                    {
                        for (var ow = first; ow < last; ow++)
                        {
                            row[(ow * _strides[1]) - _pads[1] + (kj * _dilations[1])] += gradients[ow];
                        }
                    }
                }
            }
        });
        return dx;
    }
}
