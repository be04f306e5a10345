using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Re-estimates BatchNormalization statistics so that each BN's output has, channel by channel, the mean and variance
/// the unpruned model's BN output has on the same calibration data. Plain re-estimation (setting the running
/// statistics to the pruned model's batch statistics) would also move BNs whose inputs pruning never touched towards
/// the calibration set; aligning to the original's outputs changes only the BNs whose input distribution shifted.
/// BNs are visited in graph order, each measured after the ones before it were corrected.
/// </summary>
internal static class BatchNormRecalibration
{
    public static int Apply(OnnxGraph graph, PruningRecord record, CalibrationActivations activations, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var bn in graph.Nodes.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            var input = bn.Inputs[0].Name;
            var scale = RecoveryLayers.Constant(graph, bn.Inputs[1]);
            var runningMean = RecoveryLayers.Constant(graph, bn.Inputs[3]);
            var runningVar = RecoveryLayers.Constant(graph, bn.Inputs[4]);
            var channels = runningMean.Length;
            var kept = RecoveryLayers.KeptOutputs(record, bn, channels);
            ChannelMoments? original = null;
            var current = new ChannelMoments(channels);
            // Moments over every sample once: a short last batch runs short, or padded with its padding cut off.
            activations.Run(record.Original, [input], RecoveryLayers.Snapshot(graph), [input], TailPolicy.ShrinkOrPad, (a, b) =>
            {
                original ??= new ChannelMoments(a[input].Channels);
                original.Add(a[input]);
                current.Add(b[input]);
            }, cancellationToken);

            var epsilon = bn.GetFloat("epsilon", 1e-5f);
            var moved = false;
            for (var j = 0; j < channels; j++)
            {
                var c = kept[j];
                var sigma = Math.Sqrt(original!.Variance(c));
                var sigmaNow = Math.Sqrt(current.Variance(j));
                if (sigma < 1e-12 || sigmaNow < 1e-12 || scale[j] == 0)
                {
                    continue;
                }

                // y = γ(x − μ)/s + β. Keep E[y] and Var[y] as in the original: s' = s·σ'/σ, μ' = m' − (m − μ)·s'/s.
                var s = Math.Sqrt(runningVar[j] + epsilon);
                var sNow = s * sigmaNow / sigma;
                var muNow = current.Mean(j) - (original.Mean(c) - runningMean[j]) * sNow / s;
                var varNow = Math.Max(sNow * sNow - epsilon, 0);
                if (Math.Abs(muNow - runningMean[j]) > 1e-7 * (1 + Math.Abs(runningMean[j])) || Math.Abs(varNow - runningVar[j]) > 1e-7 * (1 + runningVar[j]))
                {
                    moved = true;
                }

                runningMean[j] = (float)muNow;
                runningVar[j] = (float)varNow;
            }

            if (moved)
            {
                RecoveryLayers.SetConstant(graph, bn, 3, bn.Inputs[3].Name + "_recalibrated", [channels], runningMean);
                RecoveryLayers.SetConstant(graph, bn, 4, bn.Inputs[4].Name + "_recalibrated", [channels], runningVar);
                changed++;
            }
        }

        return changed;
    }
}
