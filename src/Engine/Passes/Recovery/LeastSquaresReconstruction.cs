using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Refits each pruned layer (a Conv or Gemm that lost input channels) so that, fed the pruned model's actual inputs,
/// it reproduces the original layer's outputs: ridge-regularised least squares over calibration patches (the
/// reconstruction step of ThiNet and of "Channel Pruning for Accelerating Very Deep Neural Networks", without the
/// channel selection). Layers go in graph order, each fitted to inputs that already include the earlier refits.
/// </summary>
internal static class LeastSquaresReconstruction
{
    public static int Apply(OnnxGraph graph, PruningRecord record, CalibrationActivations activations, RecoverOptions options, PassWarnings warnings, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var node in RecoveryLayers.PrunedConsumers(graph, record))
        {
            var weight = OperatorTraits.Of(node.OpType).Weight!;
            graph.TryGetConstant(node.Inputs[weight.Index], out var weightTensor);
            var dims = weightTensor.Dims.ToArray();
            if (node.OpType == "Conv" && !ConvGeometry.TryCreate(node, dims, out _))
            {
                warnings.Add(DiagnosticCodes.LayerNotRefitted, $"least squares skipped Conv '{node.Name}': only 2-D Convs with explicit pads (auto_pad NOTSET or VALID) are refitted");
                continue;
            }

            var features = (node.OpType == "Conv" ? (int)(dims[1] * dims.Skip(2).Aggregate(1L, (a, b) => a * b)) : (int)dims[weight.InputAxis(node)]) + 1;
            if (features > options.MaxFeatures)
            {
                warnings.Add(DiagnosticCodes.LayerNotRefitted, $"least squares skipped '{node.Name}': {features} input features exceed maxFeatures {options.MaxFeatures}");
                continue;
            }

            if (node.OpType == "Conv")
            {
                FitConv(graph, node, dims, record, activations, options, cancellationToken);
            }
            else
            {
                FitGemm(graph, node, dims, record, activations, options, cancellationToken);
            }

            changed++;
        }

        return changed;
    }

    private static void FitConv(OnnxGraph graph, Node node, long[] dims, PruningRecord record, CalibrationActivations activations, RecoverOptions options, CancellationToken cancellationToken)
    {
        ConvGeometry.TryCreate(node, dims, out var geometry);
        var outChannels = (int)dims[0];
        var kept = RecoveryLayers.KeptOutputs(record, node, outChannels);
        var features = geometry!.PatchSize + 1;
        var equations = new NormalEquations(features, outChannels);
        var input = node.Inputs[0].Name;
        var output = node.Outputs[0].Name;
        var patch = new double[features];
        var target = new double[outChannels];
        // Every calibration sample is one set of equations: a short last batch runs short, or padded with its padding cut off.
        activations.Run(record.Original, [output], RecoveryLayers.Snapshot(graph), [input], TailPolicy.ShrinkOrPad, (a, b) =>
        {
            var x = b[input];
            var y = a[output];
            var outH = (int)y.Dims[2];
            var outW = (int)y.Dims[3];
            var originalChannels = (int)y.Dims[1];
            for (var n = 0; n < x.Batch; n++)
            {
                for (var oh = 0; oh < outH; oh++)
                {
                    for (var ow = 0; ow < outW; ow++)
                    {
                        geometry.Patch(x, n, oh, ow, patch);
                        patch[features - 1] = 1;
                        for (var j = 0; j < outChannels; j++)
                        {
                            target[j] = y.Data[(((long)n * originalChannels + kept[j]) * outH + oh) * outW + ow];
                        }

                        equations.Add(patch, target);
                    }
                }
            }
        }, cancellationToken);

        var solution = equations.Solve(options.Ridge);
        var weight = new float[outChannels * geometry.PatchSize];
        var bias = new float[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            for (var k = 0; k < geometry.PatchSize; k++)
            {
                weight[o * geometry.PatchSize + k] = (float)solution[k * outChannels + o];
            }

            bias[o] = (float)solution[(features - 1) * outChannels + o];
        }

        RecoveryLayers.SetConstant(graph, node, 1, node.Inputs[1].Name + "_refit", dims, weight);
        RecoveryLayers.SetConstant(graph, node, 2, node.Inputs[1].Name + "_refit_bias", [outChannels], bias);
    }

    private static void FitGemm(OnnxGraph graph, Node node, long[] dims, PruningRecord record, CalibrationActivations activations, RecoverOptions options, CancellationToken cancellationToken)
    {
        var transB = node.GetInt("transB", 0) == 1;
        var inFeatures = (int)(transB ? dims[1] : dims[0]);
        var outFeatures = (int)(transB ? dims[0] : dims[1]);
        var features = inFeatures + 1;
        var equations = new NormalEquations(features, outFeatures);
        var input = node.Inputs[0].Name;
        var output = node.Outputs[0].Name;
        var row = new double[features];
        var target = new double[outFeatures];
        // Every calibration sample is one set of equations: a short last batch runs short, or padded with its padding cut off.
        activations.Run(record.Original, [output], RecoveryLayers.Snapshot(graph), [input], TailPolicy.ShrinkOrPad, (a, b) =>
        {
            var x = b[input];
            var y = a[output];
            for (var n = 0; n < x.Batch; n++)
            {
                for (var k = 0; k < inFeatures; k++)
                {
                    row[k] = x.Data[(long)n * inFeatures + k];
                }

                row[inFeatures] = 1;
                for (var j = 0; j < outFeatures; j++)
                {
                    target[j] = y.Data[(long)n * outFeatures + j];
                }

                equations.Add(row, target);
            }
        }, cancellationToken);

        var solution = equations.Solve(options.Ridge);
        var alpha = node.GetFloat("alpha", 1f);
        var weight = new float[inFeatures * outFeatures];
        var bias = new float[outFeatures];
        for (var k = 0; k < inFeatures; k++)
        {
            for (var j = 0; j < outFeatures; j++)
            {
                var value = (float)(solution[k * outFeatures + j] / alpha);
                weight[transB ? j * inFeatures + k : k * outFeatures + j] = value;
            }
        }

        for (var j = 0; j < outFeatures; j++)
        {
            bias[j] = (float)solution[inFeatures * outFeatures + j];
        }

        node.SetAttribute("beta", 1f);
        RecoveryLayers.SetConstant(graph, node, 1, node.Inputs[1].Name + "_refit", dims, weight);
        RecoveryLayers.SetConstant(graph, node, 2, node.Inputs[1].Name + "_refit_bias", [outFeatures], bias);
    }
}
