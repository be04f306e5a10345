namespace CompressionTasks.Passes.Quantization.Calibration;

/// <summary>
/// A fixed-size histogram of one tensor's values over a range known from a first pass, so that calibration keeps
/// 2048 counters per tensor instead of the activations themselves. NaN is ignored and values outside the range are
/// clamped into the edge bins.
/// </summary>
public sealed class TensorHistogram
{
    public TensorHistogram(double low, double high, int bins = 2048)
    {
        Low = low;
        High = high > low ? high : low + 1e-12;
        Counts = new long[bins];
    }

    public double Low { get; }

    public double High { get; }

    public long[] Counts { get; }

    public long Total { get; private set; }

    public double BinWidth => (High - Low) / Counts.Length;

    public void Add(ReadOnlySpan<float> values, bool absolute)
    {
        var scale = Counts.Length / (High - Low);
        foreach (var raw in values)
        {
            // Exact zeros (a Relu's dead half) are represented exactly by the zero point whatever the range; left in,
            // their spike dominates the KL search and drives the threshold far too low.
            if (float.IsNaN(raw) || (absolute && raw == 0))
            {
                continue;
            }

            var v = absolute ? Math.Abs((double)raw) : raw;
            var bin = (int)Math.Clamp((v - Low) * scale, 0, Counts.Length - 1);
            Counts[bin]++;
            Total++;
        }
    }

    /// <summary>The value below which a fraction <paramref name="q"/> of the samples lie (bin edge resolution).</summary>
    public double Quantile(double q)
    {
        var target = q * Total;
        long cumulative = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            cumulative += Counts[i];
            if (cumulative >= target)
            {
                return Low + (i + 1) * BinWidth;
            }
        }

        return High;
    }
}
