using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Refits each pruned layer (a Conv or Gemm that lost input channels) so that, fed the pruned model's actual inputs,
/// it reproduces the original layer's outputs: ridge-regularised least squares over calibration patches (the
/// reconstruction step of ThiNet and of "Channel Pruning for Accelerating Very Deep Neural Networks", without the
/// channel selection). Layers go in graph order, each fitted to inputs that already include the earlier refits that
/// reach it. Layers none of which feeds another are fitted together from one pass over the calibration set (a wave),
/// which gives the same inputs as one pass each. Where a layer has more output positions than
/// <see cref="RecoverOptions.RowsPerFeature"/> rows per input feature, a seeded choice of positions per sample is
/// kept (ThiNet and He et al. sample positions the same way).
/// </summary>
internal static class LeastSquaresReconstruction
{
    /// <summary>Refits the pruned layers; returns the ridge each refitted layer was solved with, in graph order.</summary>
    public static IReadOnlyList<double> Apply(OnnxGraph graph, PruningRecord record, CalibrationActivations activations, RecoverOptions options, PassWarnings warnings, CancellationToken cancellationToken)
    {
        var layers = new List<Node>();
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

            layers.Add(node);
        }

        var ridges = new List<double>();
        foreach (var wave in Waves(layers))
        {
            var fits = wave.Select(n => LayerFit.Create(graph, n, record, activations.Samples, options, activations.Threads)).ToArray();
            var inputs = wave.Select(n => n.Inputs[0].Name).Distinct(StringComparer.Ordinal).ToArray();
            var outputs = wave.Select(n => n.Outputs[0].Name).Distinct(StringComparer.Ordinal).ToArray();
            // Every calibration sample is one set of equations: a short last batch runs short, or padded with its padding cut off.
            activations.Run(record.Original, outputs, RecoveryLayers.Snapshot(graph), inputs, TailPolicy.ShrinkOrPad, (a, b) =>
            {
                foreach (var fit in fits)
                {
                    fit.Add(b, a);
                }
            }, cancellationToken);
            foreach (var fit in fits)
            {
                ridges.Add(fit.Solve(graph));
            }
        }

        return ridges;
    }

    /// <summary>
    /// Consecutive runs of layers (in graph order) of which none feeds another: their inputs do not depend on each
    /// other's refits, so one pass over the calibration set gives each what a pass of its own would.
    /// </summary>
    private static List<List<Node>> Waves(List<Node> layers)
    {
        var waves = new List<List<Node>>();
        var current = new List<Node>();
        foreach (var layer in layers)
        {
            if (current.Count > 0 && Ancestors(layer).Overlaps(current))
            {
                waves.Add(current);
                current = [];
            }

            current.Add(layer);
        }

        if (current.Count > 0)
        {
            waves.Add(current);
        }

        return waves;
    }

    private static HashSet<Node> Ancestors(Node node)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            foreach (var input in stack.Pop().Inputs)
            {
                if (input.Producer is { } producer && seen.Add(producer))
                {
                    stack.Push(producer);
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// One layer's normal equations, fed batch by batch, then solved into its weight and bias. The ridge pulls towards
    /// the layer as pruned (its kept weights and bias: the prior), so a larger ridge leaves it closer to prune-only
    /// instead of shrinking it to zero. With <see cref="RecoverOptions.RidgeSearch"/>, the held-out samples go to a
    /// second set of sums, and <see cref="RidgeSearch"/> picks the ridge.
    /// </summary>
    private abstract class LayerFit(Node node, long[] dims, NormalEquations fit, NormalEquations? heldOut, double[] prior, RecoverOptions options, int threads)
    {
        private int _sample;

        protected Node Node { get; } = node;

        protected RecoverOptions Options { get; } = options;

        protected long[] Dims { get; } = dims;

        public static LayerFit Create(OnnxGraph graph, Node node, PruningRecord record, int samples, RecoverOptions options, int threads)
        {
            graph.TryGetConstant(node.Inputs[OperatorTraits.Of(node.OpType).Weight!.Index], out var weightTensor);
            var dims = weightTensor.Dims.ToArray();
            var weight = TensorData.ReadFloats(weightTensor);
            if (node.OpType == "Conv")
            {
                ConvGeometry.TryCreate(node, dims, out var geometry);
                var outChannels = (int)dims[0];
                var features = geometry!.PatchSize + 1;
                var bias = Bias(graph, node, outChannels, 1f);
                // The solution is features × targets: weight[o, k] at [k, o], the bias in the last row.
                var prior = new double[features * outChannels];
                for (var o = 0; o < outChannels; o++)
                {
                    for (var k = 0; k < geometry.PatchSize; k++)
                    {
                        prior[k * outChannels + o] = weight[o * geometry.PatchSize + k];
                    }

                    prior[(features - 1) * outChannels + o] = bias[o];
                }

                return new ConvFit(node, dims, geometry, RecoveryLayers.KeptOutputs(record, node, outChannels), samples, options,
                    Equations(features, outChannels, options, threads, out var heldOut), heldOut, prior, threads);
            }

            var transB = node.GetInt("transB", 0) == 1;
            var inFeatures = (int)(transB ? dims[1] : dims[0]);
            var outFeatures = (int)(transB ? dims[0] : dims[1]);
            // Y = alpha·A·B + beta·C: the solution absorbs alpha (divided out when written back) and the bias beta·C.
            var alpha = node.GetFloat("alpha", 1f);
            var gemmBias = Bias(graph, node, outFeatures, node.GetFloat("beta", 1f));
            var gemmPrior = new double[(inFeatures + 1) * outFeatures];
            for (var k = 0; k < inFeatures; k++)
            {
                for (var j = 0; j < outFeatures; j++)
                {
                    gemmPrior[k * outFeatures + j] = (double)alpha * weight[transB ? j * inFeatures + k : k * outFeatures + j];
                }
            }

            for (var j = 0; j < outFeatures; j++)
            {
                gemmPrior[inFeatures * outFeatures + j] = gemmBias[j];
            }

            return new GemmFit(node, dims, transB, Equations(inFeatures + 1, outFeatures, options, threads, out var gemmHeldOut), gemmHeldOut, gemmPrior, options, threads);
        }

        private static NormalEquations Equations(int features, int targets, RecoverOptions options, int threads, out NormalEquations? heldOut)
        {
            heldOut = options.RidgeSearch ? new NormalEquations(features, targets, threads) : null;
            return new NormalEquations(features, targets, threads);
        }

        /// <summary>
        /// The layer's bias per output, times <paramref name="scale"/>: input 2 when it is a constant of one value per
        /// output (or one value for all); zero when there is none (the fitted bias then starts from no bias).
        /// </summary>
        private static double[] Bias(OnnxGraph graph, Node node, int outputs, float scale)
        {
            var bias = new double[outputs];
            if (node.Inputs.Count > 2 && !string.IsNullOrEmpty(node.Inputs[2].Name) && graph.TryGetConstant(node.Inputs[2], out var tensor))
            {
                var values = TensorData.ReadFloats(tensor);
                if (values.Length == outputs || values.Length == 1)
                {
                    for (var j = 0; j < outputs; j++)
                    {
                        bias[j] = (double)scale * values[values.Length == 1 ? 0 : j];
                    }
                }
            }

            return bias;
        }

        /// <summary>One batch: the pruned model's values (<paramref name="current"/>) and the original's (<paramref name="original"/>).</summary>
        public abstract void Add(IReadOnlyDictionary<string, Activation> current, IReadOnlyDictionary<string, Activation> original);

        /// <summary>Solves, writes the layer's new weight and bias, and returns the ridge used.</summary>
        public double Solve(OnnxGraph graph)
        {
            double[] solution;
            var ridge = Options.Ridge;
            if (heldOut is null)
            {
                solution = fit.Solve(ridge, prior);
            }
            else
            {
                (solution, ridge) = RidgeSearch.Solve(fit, heldOut, ridge, prior, threads);
            }

            Write(graph, solution);
            return ridge;
        }

        /// <summary>The equations the rows of the next calibration sample go to (advancing the count of samples seen).</summary>
        protected NormalEquations NextSample() => heldOut is not null && RidgeSearch.IsHeldOut(_sample++) ? heldOut : fit;

        protected abstract void Write(OnnxGraph graph, double[] solution);
    }

    private sealed class ConvFit(Node node, long[] dims, ConvGeometry geometry, int[] kept, int samples, RecoverOptions options, NormalEquations fit, NormalEquations? heldOut, double[] prior, int threads)
        : LayerFit(node, dims, fit, heldOut, prior, options, threads)
    {
        private readonly double[] _patch = new double[geometry.PatchSize + 1];
        private readonly double[] _target = new double[dims[0]];
        private int _sample;

        public override void Add(IReadOnlyDictionary<string, Activation> current, IReadOnlyDictionary<string, Activation> original)
        {
            var x = current[Node.Inputs[0].Name];
            var y = original[Node.Outputs[0].Name];
            var outH = (int)y.Dims[2];
            var outW = (int)y.Dims[3];
            var positions = outH * outW;
            var originalChannels = (int)y.Dims[1];
            var features = _patch.Length;
            // Rows wanted in all: RowsPerFeature per feature, spread evenly over the samples; 0 keeps every position.
            var wanted = Options.RowsPerFeature == 0 ? long.MaxValue : (long)Options.RowsPerFeature * features;
            var perSample = (int)Math.Min(positions, Math.Max(1, (wanted + samples - 1) / samples));
            for (var n = 0; n < x.Batch; n++, _sample++)
            {
                var equations = NextSample();
                foreach (var position in Positions(positions, perSample, _sample))
                {
                    var oh = position / outW;
                    var ow = position % outW;
                    geometry.Patch(x, n, oh, ow, _patch);
                    _patch[features - 1] = 1;
                    for (var j = 0; j < _target.Length; j++)
                    {
                        _target[j] = y.Data[(((long)n * originalChannels + kept[j]) * outH + oh) * outW + ow];
                    }

                    equations.Add(_patch, _target);
                }
            }
        }

        /// <summary>All positions in order, or <paramref name="take"/> of them chosen by a generator seeded with the layer and sample.</summary>
        private IEnumerable<int> Positions(int positions, int take, int sample)
        {
            if (take >= positions)
            {
                return Enumerable.Range(0, positions);
            }

            // FNV-1a of the layer name (string hashes are randomized per process), mixed with the sample's position.
            var hash = 2166136261u;
            foreach (var c in Node.Name)
            {
                hash = unchecked((hash ^ c) * 16777619u);
            }

            return SampleSelector.Select(positions, take, Evaluation.SamplingMode.Random, unchecked((int)(hash ^ (uint)(sample * 0x9E3779B1u))));
        }

        protected override void Write(OnnxGraph graph, double[] solution)
        {
            var outChannels = (int)Dims[0];
            var features = _patch.Length;
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

            RecoveryLayers.SetConstant(graph, Node, 1, Node.Inputs[1].Name + "_refit", Dims, weight);
            RecoveryLayers.SetConstant(graph, Node, 2, Node.Inputs[1].Name + "_refit_bias", [outChannels], bias);
        }
    }

    private sealed class GemmFit(Node node, long[] dims, bool transB, NormalEquations fit, NormalEquations? heldOut, double[] prior, RecoverOptions options, int threads)
        : LayerFit(node, dims, fit, heldOut, prior, options, threads)
    {
        private readonly double[] _row = new double[fit.Features];
        private readonly double[] _target = new double[fit.Targets];

        public override void Add(IReadOnlyDictionary<string, Activation> current, IReadOnlyDictionary<string, Activation> original)
        {
            var x = current[Node.Inputs[0].Name];
            var y = original[Node.Outputs[0].Name];
            var inFeatures = _row.Length - 1;
            var outFeatures = _target.Length;
            for (var n = 0; n < x.Batch; n++)
            {
                var equations = NextSample();
                for (var k = 0; k < inFeatures; k++)
                {
                    _row[k] = x.Data[(long)n * inFeatures + k];
                }

                _row[inFeatures] = 1;
                for (var j = 0; j < outFeatures; j++)
                {
                    _target[j] = y.Data[(long)n * outFeatures + j];
                }

                equations.Add(_row, _target);
            }
        }

        protected override void Write(OnnxGraph graph, double[] solution)
        {
            var inFeatures = _row.Length - 1;
            var outFeatures = _target.Length;
            var alpha = Node.GetFloat("alpha", 1f);
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

            Node.SetAttribute("beta", 1f);
            RecoveryLayers.SetConstant(graph, Node, 1, Node.Inputs[1].Name + "_refit", Dims, weight);
            RecoveryLayers.SetConstant(graph, Node, 2, Node.Inputs[1].Name + "_refit_bias", [outFeatures], bias);
        }
    }
}
