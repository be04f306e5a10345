using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Recovery;

/// <summary>The sliding-window geometry of a 2-D Conv, to cut the input patch behind one output pixel (im2col, one row at a time).</summary>
internal sealed class ConvGeometry
{
    private ConvGeometry(int channels, int kernelH, int kernelW, long[] strides, long[] pads, long[] dilations)
    {
        Channels = channels;
        KernelH = kernelH;
        KernelW = kernelW;
        Strides = strides;
        Pads = pads;
        Dilations = dilations;
    }

    public int Channels { get; }

    public int KernelH { get; }

    public int KernelW { get; }

    public long[] Strides { get; }

    public long[] Pads { get; }

    public long[] Dilations { get; }

    /// <summary>Cin·kh·kw, in the weight's [Cout, Cin, kh, kw] order.</summary>
    public int PatchSize => Channels * KernelH * KernelW;

    public static bool TryCreate(Node node, long[] weightDims, out ConvGeometry? geometry)
    {
        geometry = null;
        var autoPad = node.GetString("auto_pad", "NOTSET");
        if (weightDims.Length != 4 || autoPad is not ("NOTSET" or "VALID"))
        {
            return false;
        }

        geometry = new ConvGeometry((int)weightDims[1], (int)weightDims[2], (int)weightDims[3],
            node.GetInts("strides")?.ToArray() ?? [1, 1],
            node.GetInts("pads")?.ToArray() ?? [0, 0, 0, 0],
            node.GetInts("dilations")?.ToArray() ?? [1, 1]);
        return true;
    }

    public void Patch(Activation input, int n, int oh, int ow, double[] patch)
    {
        var height = (int)input.Dims[2];
        var width = (int)input.Dims[3];
        var index = 0;
        for (var c = 0; c < Channels; c++)
        {
            var plane = ((long)n * Channels + c) * height * width;
            for (var i = 0; i < KernelH; i++)
            {
                var h = oh * Strides[0] - Pads[0] + i * Dilations[0];
                for (var j = 0; j < KernelW; j++)
                {
                    var w = ow * Strides[1] - Pads[1] + j * Dilations[1];
                    patch[index++] = h >= 0 && h < height && w >= 0 && w < width ? input.Data[plane + h * width + w] : 0;
                }
            }
        }
    }
}
