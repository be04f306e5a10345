using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// 2-D <c>MaxPool</c> and <c>AveragePool</c> (kernel, strides, asymmetric pads, <c>ceil_mode</c>,
/// <c>count_include_pad</c>). Max pooling remembers each output's winning input for backward; average pooling
/// spreads the gradient evenly over the window it averaged.
/// </summary>
public sealed class PoolOperator<T> : TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool _isMax;
    private readonly int[] _kernel;
    private readonly int[] _strides;
    private readonly int[] _pads;
    private readonly bool _ceilMode;
    private readonly bool _countIncludePad;
    private int[] _argmax = [];

    public PoolOperator(Node node)
        : base(node)
    {
        OperatorAttributes.RequireExplicitPads(node);
        _isMax = node.OpType == "MaxPool";
        _kernel = OperatorAttributes.Ints(node, "kernel_shape", 2, 1);
        _strides = OperatorAttributes.Ints(node, "strides", 2, 1);
        _pads = OperatorAttributes.Ints(node, "pads", 4, 0);
        _ceilMode = node.GetInt("ceil_mode", 0) != 0;
        _countIncludePad = node.GetInt("count_include_pad", 0) != 0;
        if (OperatorAttributes.Ints(node, "dilations", 2, 1).Any(d => d != 1))
        {
            throw OperatorAttributes.Unsupported(node, "dilated pooling is not supported for training");
        }

        if (node.Outputs.Count > 1 && !node.Outputs[1].IsEmpty)
        {
            throw OperatorAttributes.Unsupported(node, "the Indices output is not supported for training");
        }
    }

    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        OperatorAttributes.RequireRank(Node, x, 4);
        var (n, c, h, w) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var oh = OutputSize(h, 0);
        var ow = OutputSize(w, 1);
        var y = new TrainingTensor<T>(n, c, oh, ow);
        var winners = _isMax ? new int[y.Length] : [];
        ParallelWork.For(n * c, (long)h * w * _kernel[0] * _kernel[1] / Math.Max(1, _strides[0] * _strides[1]), plane =>
        {
            var inOffset = plane * h * w;
            var outOffset = plane * oh * ow;
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var (h0, h1, w0, w1, divisor) = Window(i, j, h, w);
                    var o = outOffset + (i * ow) + j;
                    if (_isMax)
                    {
                        var best = T.NegativeInfinity;
                        var bestIndex = -1;
                        for (var r = h0; r < h1; r++)
                        {
                            for (var s = w0; s < w1; s++)
                            {
                                var v = x.Data[inOffset + (r * w) + s];
                                if (bestIndex < 0 || v > best)
                                {
                                    best = v;
                                    bestIndex = inOffset + (r * w) + s;
                                }
                            }
                        }

                        y.Data[o] = best;
                        winners[o] = bestIndex;
                    }
                    else
                    {
                        var sum = T.Zero;
                        for (var r = h0; r < h1; r++)
                        {
                            for (var s = w0; s < w1; s++)
                            {
                                sum += x.Data[inOffset + (r * w) + s];
                            }
                        }

                        y.Data[o] = sum / T.CreateChecked(divisor);
                    }
                }
            }
        });
        _argmax = winners;
        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var x = inputs[0]!;
        var dy = outputGradients[0]!;
        var dx = TrainingTensor<T>.ZerosLike(x);
        var (n, c, h, w) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (oh, ow) = (dy.Shape[2], dy.Shape[3]);
        ParallelWork.For(n * c, (long)h * w * _kernel[0] * _kernel[1] / Math.Max(1, _strides[0] * _strides[1]), plane =>
        {
            var inOffset = plane * h * w;
            var outOffset = plane * oh * ow;
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var o = outOffset + (i * ow) + j;
                    if (_isMax)
                    {
                        dx.Data[_argmax[o]] += dy.Data[o];
                        continue;
                    }

                    var (h0, h1, w0, w1, divisor) = Window(i, j, h, w);
                    var share = dy.Data[o] / T.CreateChecked(divisor);
                    for (var r = h0; r < h1; r++)
                    {
                        for (var s = w0; s < w1; s++)
                        {
                            dx.Data[inOffset + (r * w) + s] += share;
                        }
                    }
                }
            }
        });
        return [dx];
    }

    private int OutputSize(int size, int axis)
    {
        var span = size + _pads[axis] + _pads[axis + 2] - _kernel[axis];
        var count = (_ceilMode ? (span + _strides[axis] - 1) / _strides[axis] : span / _strides[axis]) + 1;

        // As in PyTorch, a ceil-mode window must start inside the input or its leading pad.
        if (_ceilMode && (count - 1) * _strides[axis] >= size + _pads[axis])
        {
            count--;
        }

        return count;
    }

    private (int H0, int H1, int W0, int W1, int Divisor) Window(int i, int j, int h, int w)
    {
        var hs = (i * _strides[0]) - _pads[0];
        var ws = (j * _strides[1]) - _pads[1];
        var he = Math.Min(hs + _kernel[0], h + _pads[2]);
        var we = Math.Min(ws + _kernel[1], w + _pads[3]);
        var padded = (he - hs) * (we - ws);
        var (h0, h1, w0, w1) = (Math.Max(hs, 0), Math.Min(he, h), Math.Max(ws, 0), Math.Min(we, w));
        return (h0, h1, w0, w1, _countIncludePad ? padded : (h1 - h0) * (w1 - w0));
    }
}
