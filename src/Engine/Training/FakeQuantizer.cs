using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>
/// Quantization-aware training's fake quantization (Jacob et al. 2018): the forward pass rounds a tensor to the int8
/// grid it will have after static quantization and maps it back to float; the backward pass is the straight-through
/// estimator, passing the gradient unchanged inside the representable range and zero outside it.
/// Weights: symmetric int8, one scale per output channel (axis 0), as the static quantizer stores them. Activations:
/// asymmetric uint8 over a range tracked as an exponential moving average of batch minima and maxima.
/// </summary>
public sealed class FakeQuantizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double RangeMomentum = 0.9;
    private readonly bool _perChannel;
    private double _low;
    private double _high;
    private bool _observed;
    private bool[] _clipped = [];

    private FakeQuantizer(bool perChannel)
    {
        _perChannel = perChannel;
    }

    public static FakeQuantizer<T> ForWeights() => new(perChannel: true);

    public static FakeQuantizer<T> ForActivations() => new(perChannel: false);

    public TrainingTensor<T> Forward(TrainingTensor<T> x, ForwardMode mode)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = TrainingTensor<T>.ZerosLike(x);
        _clipped = new bool[x.Length];
        if (_perChannel)
        {
            var channels = x.Shape.Length == 0 ? 1 : x.Shape[0];
            var size = x.Length / Math.Max(1, channels);
            for (var c = 0; c < channels; c++)
            {
                var slice = x.Data.AsSpan(c * size, size);
                // MaxMagnitude returns the signed element, so take its absolute value for the symmetric range.
                var max = Math.Abs(double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<T>(slice)));
                var scale = max > 0 ? max / 127 : 1;
                Quantize(x.Data, y.Data, c * size, size, scale, 0, -127, 127);
            }

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
