using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Quantization.Calibration;

/// <summary>
/// The quantization range of each activation tensor, from the calibration set: a first pass records minima and maxima;
/// Percentile and Entropy then fill a 2048-bin histogram per tensor in a second pass and clip the range from it.
/// </summary>
public static class ActivationCalibrator
{
    private const int Bins = 2048;

    public static IReadOnlyDictionary<string, (double Min, double Max)> Calibrate(
        ModelProto model, IReadOnlyList<string> tensors, CalibrationFeed feed, QuantizeOptions options, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var min = Enumerable.Repeat(double.PositiveInfinity, tensors.Count).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, tensors.Count).ToArray();
        context.Progress?.Report($"calibrating {tensors.Count} activations of '{context.ModelName}' on {feed.SampleCount} samples ({options.Calibration})");
        // Every sample counts once in the ranges and histograms: a short last batch runs short, or padded with its padding cut off.
        feed.Run(model, tensors, context.IntraOpThreads, int.MaxValue, TailPolicy.ShrinkOrPad, (_, o, data) =>
        {
            foreach (var v in data)
            {
                if (float.IsFinite(v))
                {
                    if (v < min[o])
                    {
                        min[o] = v;
                    }

                    if (v > max[o])
                    {
                        max[o] = v;
                    }
                }
            }
        }, context.CancellationToken);

        var ranges = new Dictionary<string, (double Min, double Max)>(StringComparer.Ordinal);
        for (var o = 0; o < tensors.Count; o++)
        {
            ranges[tensors[o]] = double.IsFinite(min[o]) ? (min[o], max[o]) : (0, 0);
        }

        if (options.Calibration == CalibrationMethod.MinMax)
        {
            return ranges;
        }

        var absolute = options.Calibration == CalibrationMethod.Entropy;
        var histograms = new TensorHistogram[tensors.Count];
        for (var o = 0; o < tensors.Count; o++)
        {
            var (lo, hi) = ranges[tensors[o]];
            histograms[o] = absolute ? new TensorHistogram(0, Math.Max(Math.Abs(lo), Math.Abs(hi)), Bins) : new TensorHistogram(lo, hi, Bins);
        }

        // The same samples as the first pass, each counted once.
        feed.Run(model, tensors, context.IntraOpThreads, int.MaxValue, TailPolicy.ShrinkOrPad, (_, o, data) => histograms[o].Add(data, absolute), context.CancellationToken);
        for (var o = 0; o < tensors.Count; o++)
        {
            var (lo, hi) = ranges[tensors[o]];
            if (!(hi > lo))
            {
                continue;
            }

            if (absolute)
            {
                var nonNegative = lo >= 0;
                var threshold = EntropyThreshold.Find(histograms[o], nonNegative && !options.ActivationsSigned ? 256 : 128);
                ranges[tensors[o]] = (Math.Max(lo, -threshold), Math.Min(hi, threshold));
            }
            else
            {
                var upper = options.Percentile / 100.0;
                var newLo = lo >= 0 ? lo : histograms[o].Quantile(1 - upper) - histograms[o].BinWidth;
                ranges[tensors[o]] = (Math.Max(lo, newLo), Math.Min(hi, histograms[o].Quantile(upper)));
            }
        }

        return ranges;
    }
}
