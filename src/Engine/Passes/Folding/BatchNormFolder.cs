using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Folding;

/// <summary>
/// Conv → BatchNormalization becomes one Conv: w'[o] = w[o]·γ[o]/√(σ²[o]+ε), b'[o] = (b[o]−μ[o])·γ[o]/√(σ²[o]+ε) + β[o].
/// Done in double precision because some exporters (CNTK's ResNet18) store variances and epsilons whose float
/// arithmetic, and certainly fp16 arithmetic, loses the small channels. A BatchNormalization that does not follow a
/// Conv with constant weights, or whose statistics are not finite, stays as it is with a warning.
/// </summary>
public static class BatchNormFolder
{
    /// <summary>Folds every foldable BatchNormalization; returns how many were folded.</summary>
    public static int Fold(OnnxGraph graph, PassWarnings warnings)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(warnings);
        var folded = 0;
        foreach (var bn in graph.Nodes.Where(n => n.OpType == "BatchNormalization" && n.Domain is "" or "ai.onnx").ToArray())
        {
            if (TryFold(graph, bn, out var reason))
            {
                folded++;
            }
            else if (reason is not null)
            {
                warnings.Add(DiagnosticCodes.BatchNormNotFolded, $"BatchNormalization '{bn.Name}' was not folded: {reason}");
            }
        }

        if (folded > 0)
        {
            graph.Cleanup();
        }

        return folded;
    }

    private static bool TryFold(OnnxGraph graph, Node bn, out string? reason)
    {
        reason = null;
        var input = bn.Inputs[0];
        if (input.Producer is not { OpType: "Conv", Domain: "" or "ai.onnx" } conv)
        {
            return false;
        }

        if (bn.Outputs.Count(o => !o.IsEmpty) > 1 || bn.GetInt("spatial", 1) != 1 || bn.GetInt("training_mode", 0) != 0)
        {
            reason = "it runs in training mode or is not spatial";
            return false;
        }

        if (input.Consumers.Count != 1 || input.IsGraphOutput)
        {
            reason = $"the Conv output '{input.Name}' has other readers";
            return false;
        }

        if (!graph.TryGetConstant(conv.Inputs[1], out var weightTensor) || weightTensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            reason = $"Conv '{conv.Name}' has no constant float weights";
            return false;
        }

        var stats = new double[4][];
        for (var i = 0; i < 4; i++)
        {
            if (bn.Inputs.Count <= i + 1 || !graph.TryGetConstant(bn.Inputs[i + 1], out var t))
            {
                reason = "its scale, bias, mean or variance is not a constant";
                return false;
            }

            stats[i] = TensorData.ReadDoubles(t);
        }

        var (gamma, beta, mean, variance) = (stats[0], stats[1], stats[2], stats[3]);
        var weights = TensorData.ReadFloats(weightTensor);
        var channels = weightTensor.Dims.Count > 0 ? (int)weightTensor.Dims[0] : 0;
        if (channels == 0 || stats.Any(s => s.Length != channels) || weights.Length % channels != 0)
        {
            reason = $"its {gamma.Length} channels do not match the {channels} filters of Conv '{conv.Name}'";
            return false;
        }

        var epsilon = (double)bn.GetFloat("epsilon", 1e-5f);
        var factor = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            factor[c] = gamma[c] / Math.Sqrt(variance[c] + epsilon);
            if (!double.IsFinite(factor[c]) || !double.IsFinite(beta[c]) || !double.IsFinite(mean[c]))
            {
                reason = $"channel {c} has a non-finite scale (variance {variance[c]}, gamma {gamma[c]})";
                return false;
            }
        }

        var bias = new double[channels];
        if (conv.Inputs.Count > 2 && !conv.Inputs[2].IsEmpty)
        {
            if (!graph.TryGetConstant(conv.Inputs[2], out var biasTensor))
            {
                reason = $"Conv '{conv.Name}' has a bias that is not constant";
                return false;
            }

            bias = TensorData.ReadDoubles(biasTensor);
        }

        var perFilter = weights.Length / channels;
        var newWeights = new float[weights.Length];
        var newBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            for (var k = 0; k < perFilter; k++)
            {
                newWeights[c * perFilter + k] = (float)(weights[c * perFilter + k] * factor[c]);
            }

            newBias[c] = (float)((bias[c] - mean[c]) * factor[c] + beta[c]);
        }

        var weightValue = graph.AddInitializer<float>(conv.Inputs[1].Name + "_bn_folded", weightTensor.Dims.ToArray(), newWeights);
        var biasValue = graph.AddInitializer<float>(conv.Name + "_bias_bn_folded", [channels], newBias);
        graph.SetInput(conv, 1, weightValue);
        if (conv.Inputs.Count > 2)
        {
            graph.SetInput(conv, 2, biasValue);
        }
        else
        {
            graph.AddInput(conv, biasValue);
        }

        graph.SetOutput(conv, 0, bn.Outputs[0]);
        graph.RemoveNode(bn);
        return true;
    }
}
