using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Adds to each pruned layer's bias the mean, per output channel, of what pruning took away: E[y_original] − E[y_pruned]
/// on calibration data (the bias correction of Nagel et al., "Data-Free Quantization", applied to pruning error). Layers
/// are corrected in graph order, each measured with the corrections before it in place.
/// </summary>
internal static class BiasCorrection
{
    public static int Apply(OnnxGraph graph, PruningRecord record, CalibrationActivations activations, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var node in RecoveryLayers.PrunedConsumers(graph, record))
        {
            var output = node.Outputs[0].Name;
            ChannelMoments? original = null;
            ChannelMoments? current = null;
            // Means over every sample once: a short last batch runs short, or padded with its padding cut off.
            activations.Run(record.Original, [output], RecoveryLayers.Snapshot(graph), [output], TailPolicy.ShrinkOrPad, (a, b) =>
            {
                original ??= new ChannelMoments(a[output].Channels);
                current ??= new ChannelMoments(b[output].Channels);
                original.Add(a[output]);
                current.Add(b[output]);
            }, cancellationToken);

            var weightInput = OperatorTraits.Of(node.OpType).Weight!;
            var weight = node.Inputs[weightInput.Index];
            graph.TryGetConstant(weight, out var w);
            var channels = (int)w.Dims[weightInput.OutputAxis(node)];
            var kept = RecoveryLayers.KeptOutputs(record, node, channels);
            var hasBias = node.Inputs.Count > 2 && !node.Inputs[2].IsEmpty;
            var bias = hasBias ? RecoveryLayers.Constant(graph, node.Inputs[2]) : new float[channels];
            if (bias.Length != channels)
            {
                continue; // A broadcast Gemm C (scalar or [1, N]) would need expanding first; such layers are left as they are.
            }

            var betaScale = node.OpType == "Gemm" ? node.GetFloat("beta", 1f) : 1f;
            for (var j = 0; j < channels; j++)
            {
                bias[j] += (float)((original!.Mean(kept[j]) - current!.Mean(j)) / betaScale);
            }

            RecoveryLayers.SetConstant(graph, node, 2, weight.Name + "_corrected_bias", [channels], bias);
            changed++;
        }

        return changed;
    }
}
