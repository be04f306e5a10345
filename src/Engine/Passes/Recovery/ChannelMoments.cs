namespace CompressionTasks.Passes.Recovery;

/// <summary>Running per-channel mean and variance of NCHW (or [N, C]) activations, in double.</summary>
internal sealed class ChannelMoments(int channels)
{
    private readonly double[] _sum = new double[channels];
    private readonly double[] _squares = new double[channels];
    private long _count;

    public void Add(Activation activation)
    {
        var spatial = activation.Spatial;
        var channelCount = activation.Channels;
        for (var n = 0; n < activation.Batch; n++)
        {
            for (var c = 0; c < channelCount; c++)
            {
                var offset = ((long)n * channelCount + c) * spatial;
                double s = 0, q = 0;
                for (var i = 0; i < spatial; i++)
                {
                    double v = activation.Data[offset + i];
                    s += v;
                    q += v * v;
                }

                _sum[c] += s;
                _squares[c] += q;
            }
        }

        _count += (long)activation.Batch * spatial;
    }

    public double Mean(int channel) => _count == 0 ? 0 : _sum[channel] / _count;

    public double Variance(int channel) => _count == 0 ? 0 : Math.Max(0, _squares[channel] / _count - Mean(channel) * Mean(channel));
}
