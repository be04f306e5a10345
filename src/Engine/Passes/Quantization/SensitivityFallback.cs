using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Passes.Quantization.Calibration;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Accuracy-aware fallback: when the fully quantized model loses more than <c>maxDrop</c> top-1 points, rank each
/// quantized node by the output error of a model where only it is quantized (on a few calibration batches), then
/// return the worst nodes to fp32 one at a time until the accuracy probe holds. Every accuracy is measured on the
/// calibration samples (<see cref="TuningSet"/>), never on the evaluation set the gates judge afterwards.
/// </summary>
public static class SensitivityFallback
{
    public static HashSet<string> Choose(
        ModelProto original,
        ModelProto floatModel,
        IReadOnlyDictionary<string, (double Min, double Max)> ranges,
        CalibrationFeed feed,
        QuantizeOptions options,
        PassContext context,
        Dictionary<string, string> details,
        PassWarnings warnings)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(warnings);
        var tuning = TuningSet.For(context, options.CalibrationSamples, "fallback: auto");
        var token = context.CancellationToken;
        double Probe(ModelProto candidate) => TuningSet.Top1(context.AccuracyProbe!(candidate, tuning, token).GetAwaiter().GetResult(), tuning, context, "fallback: auto");
        var baseline = Probe(original);
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var accuracy = Probe(Trial(floatModel, ranges, options, excluded));
        details["tunedOn"] = tuning.Name;
        details["accuracyBaseline"] = Format(baseline);
        details["accuracyQuantized"] = Format(accuracy);
        if (baseline - accuracy <= options.MaxDrop)
        {
            details["accuracy"] = Format(accuracy);
            details["fallbackNodes"] = string.Empty;
            return excluded;
        }

        var candidates = StaticQuantizationPlan.Create(OnnxGraph.Import(floatModel), options, excluded).Nodes.Select(n => n.Node.Name).ToArray();
        var ranked = RankBySensitivity(floatModel, ranges, feed, options, context, candidates);
        foreach (var name in ranked)
        {
            excluded.Add(name);
            context.Progress?.Report($"fallback: '{name}' back to fp32 ({excluded.Count} of {ranked.Count})");
            accuracy = Probe(Trial(floatModel, ranges, options, excluded));
            if (baseline - accuracy <= options.MaxDrop)
            {
                break;
            }
        }

        if (baseline - accuracy > options.MaxDrop)
        {
            warnings.Add(DiagnosticCodes.FallbackMissedMaxDrop, $"fallback: even with every node in fp32 the drop is {Format(baseline - accuracy)} pp, above maxDrop {Format(options.MaxDrop)}");
        }

        details["fallbackNodes"] = string.Join(",", excluded);
        details["accuracy"] = Format(accuracy);
        return excluded;
    }

    /// <summary>The nodes, most sensitive first: relative squared error of the output with only that node quantized.</summary>
    private static List<string> RankBySensitivity(
        ModelProto floatModel, IReadOnlyDictionary<string, (double Min, double Max)> ranges, CalibrationFeed feed, QuantizeOptions options, PassContext context, IReadOnlyList<string> candidates)
    {
        string[] output = [floatModel.Graph.Output[0].Name];
        var reference = new List<float[]>();
        // The reference and each trial run the same batches under the same policy, so batch b of one pairs with batch b
        // of the other row for row, padding cut off in both.
        feed.Run(floatModel, output, context.IntraOpThreads, options.SensitivityBatches, TailPolicy.ShrinkOrPad, (_, _, data) => reference.Add(data.ToArray()), context.CancellationToken);
        var errors = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in candidates)
        {
            var others = new HashSet<string>(candidates.Where(c => c != name), StringComparer.Ordinal);
            double error = 0, energy = 0;
            feed.Run(Trial(floatModel, ranges, options, others), output, context.IntraOpThreads, options.SensitivityBatches, TailPolicy.ShrinkOrPad, (batch, _, data) =>
            {
                var expected = reference[batch];
                for (var i = 0; i < data.Length && i < expected.Length; i++)
                {
                    var d = (double)data[i] - expected[i];
                    error += d * d;
                    energy += (double)expected[i] * expected[i];
                }
            }, context.CancellationToken);
            errors[name] = energy > 0 ? error / energy : error;
        }

        return [.. candidates.OrderByDescending(c => errors[c]).ThenBy(c => c, StringComparer.Ordinal)];
    }

    private static ModelProto Trial(ModelProto floatModel, IReadOnlyDictionary<string, (double Min, double Max)> ranges, QuantizeOptions options, IReadOnlySet<string> excluded)
    {
        var graph = OnnxGraph.Import(floatModel);
        StaticQuantizer.Build(graph, StaticQuantizationPlan.Create(graph, options, excluded), ranges, options);
        return graph.Export();
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
