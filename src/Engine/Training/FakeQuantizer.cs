using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>
/// Quantization-aware training's fake quantization (Jacob et al. 2018): the forward pass rounds a tensor to the int8
/// grid it will have after static quantization and maps it back to float; the backward pass is the straight-through
/// estimator, passing the gradient unchanged inside the representable range and zero outside it.
/// Weights: symmetric int8 (7-bit with reduced range), one scale per output channel on the weight's output-channel
/// axis (0 for Conv, 1 for MatMul and a Gemm without transB) or one per tensor, as the static quantizer stores them. Activations:
/// asymmetric uint8 over a range tracked as an exponential moving average of batch minima and maxima.
/// </summary>
public sealed class FakeQuantizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double RangeMomentum = 0.9;
    private readonly bool _weights;
    private readonly bool _perChannel;
    private readonly int _axis;
    private readonly int _weightMax;
    private double _low;
    private double _high;
    private bool _observed;
    private bool[] _clipped = [];

    private FakeQuantizer(bool weights, bool perChannel, int axis, bool reduceRange)
    {
        _weights = weights;
        _perChannel = perChannel;
        _axis = axis;
        _weightMax = reduceRange ? 63 : 127;
    }

    /// <summary>Per-channel 8-bit weights on axis 0 (Conv's layout).</summary>
    public static FakeQuantizer<T> ForWeights() => ForWeights(axis: 0, perChannel: true, reduceRange: false);

    /// <param name="axis">The weight's output-channel axis (<see cref="Onnx.WeightedInput.OutputAxis"/>).</param>
    public static FakeQuantizer<T> ForWeights(int axis, bool perChannel, bool reduceRange)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        return new(weights: true, perChannel, axis, reduceRange);
    }

    public static FakeQuantizer<T> ForActivations() => new(weights: false, perChannel: false, axis: 0, reduceRange: false);

    public TrainingTensor<T> Forward(TrainingTensor<T> x, ForwardMode mode)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = TrainingTensor<T>.ZerosLike(x);
        _clipped = new bool[x.Length];
        if (_weights)
        {
            QuantizeWeights(x, y);
            return y;
        }

        if (mode == ForwardMode.Training)
        {
            var batchLow = Math.Min(0, double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.Min<T>(x.Data)));
            var batchHigh = Math.Max(0, double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.Max<T>(x.Data)));
            (_low, _high) = _observed
                ? ((RangeMomentum * _low) + ((1 - RangeMomentum) * batchLow), (RangeMomentum * _high) + ((1 - RangeMomentum) * batchHigh))
                : (batchLow, batchHigh);
            _observed = true;
        }

        if (!_observed || _high <= _low)
        {
            x.Data.CopyTo(y.Data, 0);
            return y;
        }

        var activationScale = (_high - _low) / 255;
        var zeroPoint = Math.Round(-_low / activationScale);
        Quantize(x.Data, y.Data, 0, x.Length, activationScale, zeroPoint, 0, 255);
        return y;
    }

    private void QuantizeWeights(TrainingTensor<T> x, TrainingTensor<T> y)
    {
        var axis = _perChannel && x.Shape.Length > 0 ? Math.Min(_axis, x.Shape.Length - 1) : 0;
        var channels = _perChannel && x.Shape.Length > 0 ? x.Shape[axis] : 1;
        var inner = 1;
        for (var d = axis + 1; _perChannel && d < x.Shape.Length; d++)
        {
            inner *= x.Shape[d];
        }

        if (!_perChannel)
        {
            inner = x.Length;
        }

        var absMax = new double[Math.Max(1, channels)];
        for (var i = 0; i < x.Length; i++)
        {
            var c = i / inner % absMax.Length;
            absMax[c] = Math.Max(absMax[c], Math.Abs(double.CreateChecked(x.Data[i])));
        }

        for (var i = 0; i < x.Length; i++)
        {
            var c = i / inner % absMax.Length;
            var scale = absMax[c] > 0 ? absMax[c] / _weightMax : 1;
            var q = Math.Round(double.CreateChecked(x.Data[i]) / scale);
            _clipped[i] = q < -_weightMax || q > _weightMax;
            y.Data[i] = T.CreateChecked(Math.Clamp(q, -_weightMax, _weightMax) * scale);
        }
    }

    /// <summary>The straight-through gradient: <paramref name="gradient"/> where the input was representable, else zero.</summary>
    public TrainingTensor<T> Backward(TrainingTensor<T> gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        var result = TrainingTensor<T>.ZerosLike(gradient);
        for (var i = 0; i < gradient.Length; i++)
        {
            result.Data[i] = _clipped.Length == gradient.Length && _clipped[i] ? T.Zero : gradient.Data[i];
        }

        return result;
    }

    private void Quantize(T[] source, T[] target, int offset, int count, double scale, double zeroPoint, double qmin, double qmax)
    {
        for (var i = offset; i < offset + count; i++)
        {
            var q = Math.Round(double.CreateChecked(source[i]) / scale) + zeroPoint;
            _clipped[i] = q < qmin || q > qmax;
            target[i] = T.CreateChecked((Math.Clamp(q, qmin, qmax) - zeroPoint) * scale);
        }
    }
}
