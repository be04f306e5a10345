using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Passes.Quantization.Calibration;
using CompressionTasks.Reports;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// How far each quantized activation of a static int8 model is from the fp32 model's, the way ONNX Runtime's
/// <c>qdq_loss_debug</c> pairs them: the fp32 model's tensor and the int8 model's DequantizeLinear output that replaces
/// it run side by side on the same calibration rows, and each pair gives its SQNR, 10·log10(Σx² / Σ(x − x̂)²) dB. Both
/// models run as in-memory copies with those tensors exposed as outputs, so ONNX Runtime keeps the QuantizeLinear /
/// DequantizeLinear pairs unfused there: the numbers measure the quantization (rounding and clipping to each calibrated
/// range, carried through the layers that follow), not the fused kernels' own requantization rounding.
/// </summary>
public static class LayerErrorProbe
{
    /// <summary>Calibration samples compared (the first batches of the calibration feed).</summary>
    public const int Samples = 32;

    /// <summary>Worst tensors kept for the report.</summary>
    public const int Reported = 20;

    /// <summary>A planned activation as the fp32 model has it: its name, its producer (null: a graph input) and whether it is a graph output.</summary>
    public sealed record Tensor(string Name, string? Node, string? OpType, bool IsGraphOutput);

    /// <summary>The plan's activations, read before <see cref="StaticQuantizer.Build"/> rewires the graph.</summary>
    public static IReadOnlyList<Tensor> Describe(StaticQuantizationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Tensors.Select(t => new Tensor(t.Name, t.Producer?.Name, t.Producer?.OpType, t.IsGraphOutput))];
    }

    /// <summary>The compared tensors, worst (lowest SQNR) first, ties by name, and the samples they were compared on.</summary>
    public sealed record Result(IReadOnlyList<LayerErrorReport> Errors, int Samples);

    /// <summary>Every tensor of <paramref name="tensors"/> that the int8 model dequantizes, worst (lowest SQNR) first, ties by name.</summary>
    public static Result Measure(ModelProto floatModel, OnnxGraph quantized, IReadOnlyList<Tensor> tensors, CalibrationFeed feed, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(context);
        var pairs = tensors.Select(t => (Tensor: t, Dequantized: DequantizedName(quantized, t))).Where(p => p.Dequantized is not null).ToArray();
        if (pairs.Length == 0)
        {
            return new Result([], 0);
        }

        context.Progress?.Report($"comparing {pairs.Length} int8 activations of '{context.ModelName}' with fp32");
        var signal = new double[pairs.Length];
        var noise = new double[pairs.Length];
        var samples = 0;
        string[] floatNames = [.. pairs.Select(p => p.Tensor.Name)];
        string[] quantizedNames = [.. pairs.Select(p => p.Dequantized!)];
        // Both models see each batch's rows in the same order, padding cut off, so element i of one is element i of the other.
        feed.RunSideBySide([floatModel, quantized.Export()], [floatNames, quantizedNames], context.IntraOpThreads, Samples, TailPolicy.ShrinkOrPad, (batch, outputs) =>
        {
            samples += batch.Samples;
            for (var o = 0; o < pairs.Length; o++)
            {
                var expected = outputs[0][o];
                var actual = outputs[1][o];
                double s = 0, n = 0;
                for (var i = 0; i < expected.Length && i < actual.Length; i++)
                {
                    double x = expected[i], d = x - actual[i];
                    if (double.IsFinite(x) && double.IsFinite(d))
                    {
                        s += x * x;
                        n += d * d;
                    }
                }

                signal[o] += s;
                noise[o] += n;
            }
        }, context.CancellationToken);

        var errors = pairs.Select((p, o) => new LayerErrorReport(p.Tensor.Name, p.Tensor.Node, p.Tensor.OpType, Sqnr(signal[o], noise[o])));
        return new Result([.. errors.OrderBy(e => e.SqnrDb ?? double.PositiveInfinity).ThenBy(e => e.Tensor, StringComparer.Ordinal)], samples);
    }

    /// <summary>SQNR in dB rounded to 0.01; null when nothing differs (no noise); −∞ for an all-zero fp32 tensor that the int8 model makes non-zero.</summary>
    public static double? Sqnr(double signal, double noise) =>
        noise > 0 ? Math.Round(10 * Math.Log10(signal / noise), 2) : null;

    /// <summary>The int8 model's value that readers of <paramref name="tensor"/> now read: the DequantizeLinear after its QuantizeLinear.</summary>
    private static string? DequantizedName(OnnxGraph quantized, Tensor tensor)
    {
        if (tensor.IsGraphOutput)
        {
            // A graph output keeps its name; the pair's DequantizeLinear writes it.
            return quantized.Find(tensor.Name)?.Producer is { OpType: "DequantizeLinear" } ? tensor.Name : null;
        }

        var quantize = quantized.Find(tensor.Name)?.Consumers.FirstOrDefault(n => n.OpType == "QuantizeLinear");
        var dequantize = quantize?.Outputs[0].Consumers.FirstOrDefault(n => n.OpType == "DequantizeLinear");
        return dequantize?.Outputs[0].Name;
    }
}
