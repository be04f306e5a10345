using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>BatchNormalization</c>. In training it normalises with the batch's statistics and moves the running mean and
/// variance (inputs 3 and 4, updated in place) toward them as PyTorch does: <c>running = momentum·running +
/// (1-momentum)·batch</c>, with the unbiased batch variance. Frozen (or at inference) it uses the running statistics.
/// </summary>
public sealed class BatchNormOperator<T> : TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _epsilon;
    private readonly T _momentum;
    private readonly bool _frozen;
    private T[] _normalized = [];
    private T[] _inverseStd = [];
    private bool _usedBatchStatistics;

    public BatchNormOperator(Node node, bool frozen)
        : base(node)
    {
        _epsilon = Scalar(node.GetFloat("epsilon", 1e-5f));
        _momentum = Scalar(node.GetFloat("momentum", 0.9f));
        _frozen = frozen;
    }

    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var scale = inputs[1]!.Data;
        var bias = inputs[2]!.Data;
        var runningMean = inputs[3]!.Data;
        var runningVar = inputs[4]!.Data;
        var (n, c, plane) = Layout(x);
        var count = n * plane;
        var y = new TrainingTensor<T>((int[])x.Shape.Clone());
        _usedBatchStatistics = mode == ForwardMode.Training && !_frozen;
        _normalized = mode == ForwardMode.Training ? new T[x.Length] : [];
        _inverseStd = new T[c];
        var xhat = _normalized;
        var training = mode == ForwardMode.Training;
        ParallelWork.For(c, 3L * n * plane, channel =>
        {
            T mean;
            T variance;
            if (_usedBatchStatistics)
            {
                var sum = T.Zero;
                for (var b = 0; b < n; b++)
                {
                    sum += TensorPrimitives.Sum<T>(x.Data.AsSpan(((b * c) + channel) * plane, plane));
                }

                mean = sum / T.CreateChecked(count);
                var squares = T.Zero;
                for (var b = 0; b < n; b++)
                {
                    foreach (var v in x.Data.AsSpan(((b * c) + channel) * plane, plane))
                    {
                        var d = v - mean;
                        squares += d * d;
                    }
                }

                variance = squares / T.CreateChecked(count);
                var unbiased = count > 1 ? squares / T.CreateChecked(count - 1) : variance;
                runningMean[channel] = (_momentum * runningMean[channel]) + ((T.One - _momentum) * mean);
                runningVar[channel] = (_momentum * runningVar[channel]) + ((T.One - _momentum) * unbiased);
            }
            else
            {
                mean = runningMean[channel];
                variance = runningVar[channel];
            }

            var invStd = T.One / T.Sqrt(variance + _epsilon);
            _inverseStd[channel] = invStd;
            var a = scale[channel] * invStd;
            var shift = bias[channel] - (mean * a);
            for (var b = 0; b < n; b++)
            {
                var offset = ((b * c) + channel) * plane;
                var source = x.Data.AsSpan(offset, plane);
                var output = y.Data.AsSpan(offset, plane);
                TensorPrimitives.Multiply(source, a, output);
                TensorPrimitives.Add(output, shift, output);
                if (training)
                {
                    var target = xhat.AsSpan(offset, plane);
                    TensorPrimitives.Subtract(source, mean, target);
                    TensorPrimitives.Multiply(target, invStd, target);
                }
            }
        });
        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var x = inputs[0]!;
        var scale = inputs[1]!.Data;
        var dy = outputGradients[0]!;
        var (n, c, plane) = Layout(x);
        var count = T.CreateChecked(n * plane);
        var dx = needsGradient[0] ? new TrainingTensor<T>((int[])x.Shape.Clone()) : null;
        var dscale = new TrainingTensor<T>(c);
        var dbias = new TrainingTensor<T>(c);
        ParallelWork.For(c, 3L * n * plane, channel =>
        {
            var sumDy = T.Zero;
            var sumDyXhat = T.Zero;
            for (var b = 0; b < n; b++)
            {
                var offset = ((b * c) + channel) * plane;
                sumDy += TensorPrimitives.Sum<T>(dy.Data.AsSpan(offset, plane));
                sumDyXhat += TensorPrimitives.Dot<T>(dy.Data.AsSpan(offset, plane), _normalized.AsSpan(offset, plane));
            }

            dscale.Data[channel] = sumDyXhat;
            dbias.Data[channel] = sumDy;
            if (dx is null)
            {
                return;
            }

            var a = scale[channel] * _inverseStd[channel];
            for (var b = 0; b < n; b++)
            {
                var offset = ((b * c) + channel) * plane;
                var target = dx.Data.AsSpan(offset, plane);
                if (_usedBatchStatistics)
                {
                    // dx = a·(dy - mean(dy) - x̂·mean(dy·x̂)): the batch mean and variance depend on x too.
                    TensorPrimitives.Multiply(_normalized.AsSpan(offset, plane), -sumDyXhat / count, target);
                    TensorPrimitives.Add(target, dy.Data.AsSpan(offset, plane), target);
                    TensorPrimitives.Add(target, -sumDy / count, target);
                    TensorPrimitives.Multiply(target, a, target);
                }
                else
                {
                    TensorPrimitives.Multiply(dy.Data.AsSpan(offset, plane), a, target);
                }
            }
        });
        return [dx, needsGradient[1] ? dscale : null, needsGradient[2] ? dbias : null, null, null];
    }

    private (int Batch, int Channels, int Plane) Layout(TrainingTensor<T> x)
    {
        if (x.Rank < 2)
        {
            throw OperatorAttributes.Unsupported(Node, $"input {x} needs at least a batch and a channel axis");
        }

        var plane = 1;
        for (var i = 2; i < x.Rank; i++)
        {
            plane *= x.Shape[i];
        }

        return (x.Shape[0], x.Shape[1], plane);
    }
}
