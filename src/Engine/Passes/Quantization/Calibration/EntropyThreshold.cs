namespace CompressionTasks.Passes.Quantization.Calibration;

/// <summary>
/// The KL-divergence clipping threshold (TensorRT's calibration, Migacz 2017): for each candidate threshold, compare the
/// histogram clipped there (outliers added to the last bin) with its quantization to <c>levels</c> bins, and keep the
/// threshold with the least information loss.
/// </summary>
public static class EntropyThreshold
{
    /// <param name="histogram">A histogram of absolute values starting at 0.</param>
    /// <param name="levels">Quantized bins on one side of zero: 128 for signed tensors, 256 for non-negative ones.</param>
    public static double Find(TensorHistogram histogram, int levels)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var counts = histogram.Counts;
        var bins = counts.Length;
        if (histogram.Total == 0 || bins <= levels || IsDiscrete(counts))
        {
            return histogram.High;
        }

        var bestDivergence = double.PositiveInfinity;
        var bestBins = bins;
        var p = new double[bins];
        var q = new double[bins];
        for (var i = levels; i <= bins; i++)
        {
            double outliers = 0;
            for (var k = i; k < bins; k++)
            {
                outliers += counts[k];
            }

            for (var k = 0; k < i; k++)
            {
                p[k] = counts[k];
            }

            p[i - 1] += outliers;

            // Merge the first i bins into `levels` groups, then spread each group's mass over its non-empty bins.
            var perLevel = (double)i / levels;
            for (var level = 0; level < levels; level++)
            {
                var start = (int)Math.Floor(level * perLevel);
                var end = level == levels - 1 ? i : (int)Math.Floor((level + 1) * perLevel);
                double mass = 0;
                var nonEmpty = 0;
                for (var k = start; k < end; k++)
                {
                    mass += counts[k];
                    if (counts[k] > 0)
                    {
                        nonEmpty++;
                    }
                }

                for (var k = start; k < end; k++)
                {
                    q[k] = counts[k] > 0 ? mass / nonEmpty : 0;
                }
            }

            var divergence = Divergence(p, q, i);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                bestBins = i;
            }
        }

        return histogram.Low + bestBins * histogram.BinWidth;
    }

    /// <summary>
    /// Data with few distinct values (8-bit pixels, one-hot inputs) leaves most non-empty bins isolated between empty
    /// ones. Its values fit the levels as they are, and the sparse histogram makes every clipped candidate look cheap,
    /// so such tensors keep their full range.
    /// </summary>
    private static bool IsDiscrete(long[] counts)
    {
        int nonEmpty = 0, isolated = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] == 0)
            {
                continue;
            }

            nonEmpty++;
            if ((k == 0 || counts[k - 1] == 0) && (k == counts.Length - 1 || counts[k + 1] == 0))
            {
                isolated++;
            }
        }

        return isolated * 2 > nonEmpty;
    }

    private static double Divergence(double[] p, double[] q, int length)
    {
        double pSum = 0, qSum = 0;
        for (var k = 0; k < length; k++)
        {
            pSum += p[k];
            qSum += q[k];
        }

        if (pSum <= 0 || qSum <= 0)
        {
            return double.PositiveInfinity;
        }

        double divergence = 0;
        for (var k = 0; k < length; k++)
        {
            if (p[k] <= 0)
            {
                continue;
            }

            var pk = p[k] / pSum;
            var qk = q[k] / qSum;

            // A bin the clipped distribution has but the quantized one lost costs as much as a tiny probability would.
            divergence += pk * Math.Log(pk / Math.Max(qk, 1e-10));
        }

        return divergence;
    }
}
