using System.Globalization;
using System.Runtime.ExceptionServices;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using Microsoft.ML.OnnxRuntime;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Passes.Verification;

/// <summary>
/// Checks a pass's output before it is published: ONNX Runtime loads it and runs a few samples (calibration data when the
/// model has it and one float input, otherwise seeded generated inputs), and its outputs are compared with the pass's
/// input model under the pass's <see cref="PassTolerance"/>. When they diverge, both models are run again with every
/// intermediate value they share exposed as an output, and the first node (in the output's order) whose value is out of
/// tolerance is named. Failure is CMP2016 (invalid) or CMP2017 (diverges); the caller then writes nothing.
/// </summary>
public static class PassOutputVerifier
{
    /// <summary>How many samples each check runs.</summary>
    public const int Samples = 2;

    private const int Seed = 20_201;

    /// <summary>Worst quantized activations a CMP2017 message names, from the pass's <see cref="PassResult.LayerErrors"/>.</summary>
    public const int NamedLayerErrors = 5;

    /// <summary>
    /// Checks <paramref name="after"/> against <paramref name="before"/>; a refusal (CMP2017) names, besides the first
    /// diverging node, the worst quantized activations of <paramref name="result"/> when the pass measured them: the
    /// first diverging node of a QDQ graph is usually the output's own DequantizeLinear, which says nothing about where
    /// the error came from.
    /// </summary>
    public static void Verify(string passName, OnnxGraph before, OnnxGraph after, PassContext context, ShapeInferenceOptions shapes, PassResult? result = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(shapes);
        var tolerance = PassTolerance.For(passName);
        var outputs = before.Outputs.Select(o => o.Name).ToList();

        // One model in ONNX Runtime at a time: the input model runs every sample first and only its (small) outputs are
        // kept, so a large model's two sessions, protos and serialized bytes are never alive together. A failure while
        // running it is held back and raised where it was raised when both sessions ran side by side, so the diagnostic
        // a faulty pass gets does not depend on this order.
        var (feeds, expected, referenceFailure) = RunReference(before, outputs, passName, context, shapes);
        using var candidate = Load(after.Export(), passName, DiagnosticCodes.PassOutputInvalid, "its output", context);
        if (feeds is null)
        {
            referenceFailure!.Throw();
        }

        var missing = outputs.Where(n => after.Outputs.All(o => o.Name != n)).ToList();
        if (missing.Count > 0)
        {
            throw Invalid(passName, $"its output lacks the graph output(s) {string.Join(", ", missing)}");
        }

        for (var s = 0; s < feeds.Count; s++)
        {
            if (s == expected.Count)
            {
                referenceFailure!.Throw();
            }

            var feed = feeds[s];
            var actual = Run(candidate, feed, outputs, passName, DiagnosticCodes.PassOutputInvalid, "its output");
            for (var i = 0; i < outputs.Count; i++)
            {
                if (!expected[s][i].Dims.SequenceEqual(actual[i].Dims))
                {
                    throw Invalid(passName, $"output '{outputs[i]}' has shape [{string.Join(", ", actual[i].Dims)}], the input model's [{string.Join(", ", expected[s][i].Dims)}]");
                }

                if (Problem(expected[s][i], actual[i], tolerance) is { } problem)
                {
                    candidate.Dispose();
                    var node = FirstDivergingNode(before, after, feed, tolerance, context);
                    throw new CompressionException(DiagnosticCodes.PassOutputDiverges, SourceLocation.None with { Element = node is null ? $"output {outputs[i]}" : $"node {node}" },
                        $"pass '{passName}' changed output '{outputs[i]}' beyond its tolerance ({tolerance}): {problem}"
                        + (node is null ? string.Empty : $"; the first diverging node is '{node}'")
                        + WorstLayers(result));
                }
            }
        }
    }

    /// <summary>
    /// Loads the input model, builds the check's inputs from it and runs it on each; its session is gone on return. A
    /// failure after the load is returned for <see cref="Verify"/> to raise once the output model is loaded: a failure to
    /// build the inputs (no feeds) before its outputs are checked, a failed run after the samples before it compared.
    /// </summary>
    private static (List<Dictionary<string, TensorProto>>? Feeds, List<IReadOnlyList<TensorProto>> Expected, ExceptionDispatchInfo? Failure) RunReference(
        OnnxGraph before, IReadOnlyList<string> outputs, string passName, PassContext context, ShapeInferenceOptions shapes)
    {
        using var reference = Load(before.Export(), passName, DiagnosticCodes.PassInputNotRunnable, "the model it started from", context);
        List<Dictionary<string, TensorProto>>? feeds = null;
        var expected = new List<IReadOnlyList<TensorProto>>();
        try
        {
            feeds = Feeds(reference, context, shapes);
            foreach (var feed in feeds)
            {
                expected.Add(Run(reference, feed, outputs, passName, DiagnosticCodes.PassInputNotRunnable, "the model it started from"));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (feeds, expected, ExceptionDispatchInfo.Capture(ex));
        }

        return (feeds, expected, null);
    }

    /// <summary>Null when <paramref name="actual"/> is within tolerance of <paramref name="expected"/>, else what is wrong.</summary>
    public static string? Problem(TensorProto expected, TensorProto actual, PassTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (!IsFloating(expected) || !IsFloating(actual))
        {
            return null;
        }

        var y = TensorData.ReadFloats(expected);
        var z = TensorData.ReadFloats(actual);
        if (y.Length != z.Length)
        {
            return $"{z.Length} elements instead of {y.Length}";
        }

        var c = CultureInfo.InvariantCulture;
        double maxRef = 0, maxErr = 0, dot = 0, ny = 0, nz = 0, squaredErr = 0;
        var finite = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (float.IsFinite(y[i]) && !float.IsFinite(z[i]))
            {
                return $"element {i} is {z[i].ToString(c)} where the input model gives {y[i].ToString(c)}";
            }

            if (!float.IsFinite(y[i]))
            {
                continue;
            }

            var err = Math.Abs((double)y[i] - z[i]);
            maxRef = Math.Max(maxRef, Math.Abs(y[i]));
            maxErr = Math.Max(maxErr, err);
            squaredErr += err * err;
            finite++;
            dot += (double)y[i] * z[i];
            ny += (double)y[i] * y[i];
            nz += (double)z[i] * z[i];
        }

        var scale = Math.Max(maxRef, 1e-6);
        if (tolerance.MaxNormalizedRmsError is { } rmsBound && finite > 0)
        {
            var rms = Math.Sqrt(squaredErr / finite) / scale;
            if (rms > rmsBound)
            {
                return $"normalised RMS error {rms.ToString("G3", c)} (normalised max error {(maxErr / scale).ToString("G3", c)}, max |y| {maxRef.ToString("G3", c)})";
            }
        }

        if (tolerance.MaxNormalizedError is { } bound)
        {
            var error = maxErr / scale;
            return error <= bound ? null : $"normalised max error {error.ToString("G3", c)} (max abs error {maxErr.ToString("G3", c)})";
        }

        if (tolerance.MinCosine is { } floor && ny > 1e-30)
        {
            var cosine = nz > 1e-30 ? dot / Math.Sqrt(ny * nz) : 0;
            return cosine >= floor ? null : $"cosine {cosine.ToString("F4", c)}";
        }

        return null;
    }

    /// <summary>
    /// "; the worst int8 activations (SQNR against fp32): 't' (Mul 'node') 1.83 dB, ..." from the pass's layer errors,
    /// worst first, at most <see cref="NamedLayerErrors"/>; empty when the pass measured none (not static int8, or
    /// <c>layerErrors: false</c>). A refused variant writes no report, so the message is where a user reads them.
    /// </summary>
    public static string WorstLayers(PassResult? result)
    {
        if (result?.LayerErrors is not { Count: > 0 } errors)
        {
            return string.Empty;
        }

        var c = CultureInfo.InvariantCulture;
        var named = errors.Take(NamedLayerErrors).Select(e =>
            $"'{e.Tensor}'" + (e.OpType is null ? string.Empty : $" ({e.OpType}{(e.Node is null ? string.Empty : $" '{e.Node}'")})")
            + (e.SqnrDb is { } db ? $" {db.ToString("0.##", c)} dB" : " exact"));
        return $"; the worst int8 activations (SQNR against fp32): {string.Join(", ", named)}";
    }

    private static bool IsFloating(TensorProto t) => (DataType)t.DataType is DataType.Float or DataType.Float16 or DataType.Double or DataType.Bfloat16;

    private static TensorRunner Load(ModelProto model, string passName, DiagnosticCode code, string what, PassContext context)
    {
        try
        {
            return TensorRunner.Load(model, context.IntraOpThreads);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new CompressionException(code, SourceLocation.None, $"pass '{passName}': ONNX Runtime cannot load {what}: {ex.Message}", ex);
        }
    }

    private static IReadOnlyList<TensorProto> Run(TensorRunner runner, IReadOnlyDictionary<string, TensorProto> feed, IReadOnlyList<string> outputs, string passName, DiagnosticCode code, string what)
    {
        try
        {
            return runner.Run(feed, outputs);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new CompressionException(code, SourceLocation.None, $"pass '{passName}': ONNX Runtime cannot run {what}: {ex.Message}", ex);
        }
    }

    private static CompressionException Invalid(string passName, string problem) =>
        new(DiagnosticCodes.PassOutputInvalid, SourceLocation.None, $"pass '{passName}' wrote an invalid model: {problem}");

    /// <summary>The check's inputs: calibration samples for a one-float-input model whose sample shape fits, else generated ones.</summary>
    private static List<Dictionary<string, TensorProto>> Feeds(TensorRunner runner, PassContext context, ShapeInferenceOptions shapes)
    {
        var inputs = runner.Inputs;
        if (inputs.Count == 1 && inputs[0].ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float && context.Calibration is { } calibration
            && CalibrationFeeds(inputs[0].Name, inputs[0].Dims, calibration, context) is { } fromData)
        {
            return fromData;
        }

        var random = new Random(Seed);
        var feeds = new List<Dictionary<string, TensorProto>>();
        for (var s = 0; s < Samples; s++)
        {
            var feed = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            foreach (var (name, type, dims) in inputs)
            {
                var concrete = Concrete(name, dims, shapes);
                var count = checked((int)concrete.Aggregate(1L, (a, b) => a * b));
                feed[name] = type switch
                {
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float => TensorData.Create<float>(name, concrete, Normal(random, count)),
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 => TensorData.Create<long>(name, concrete, new long[count]),
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32 => TensorData.Create<int>(name, concrete, new int[count]),
                    _ => throw new NotSupportedException($"input '{name}' of type {type} cannot be generated for the output check"),
                };
            }

            feeds.Add(feed);
        }

        return feeds;
    }

    private static List<Dictionary<string, TensorProto>>? CalibrationFeeds(string name, int[] dims, Evaluation.DatasetSource calibration, PassContext context)
    {
        using var reader = DatasetReader.Open(calibration);
        var sample = reader.SampleShape;
        if (reader.Count == 0 || sample.Count != dims.Length - 1 || dims.Skip(1).Zip(sample).Any(p => p.First > 0 && p.First != p.Second) || dims[0] > 1)
        {
            return null;
        }

        long[] shape = [1, .. sample.Select(d => (long)d)];
        var feeds = new List<Dictionary<string, TensorProto>>();
        for (var s = 0; s < Math.Min(Samples, reader.Count); s++)
        {
            var buffer = new float[reader.SampleElements];
            reader.ReadBatch(s, 1, buffer, context.CancellationToken);
            feeds.Add(new Dictionary<string, TensorProto>(StringComparer.Ordinal) { [name] = TensorData.Create<float>(name, shape, buffer) });
        }

        return feeds;
    }

    /// <summary>Dims as ONNX Runtime reports them (-1 where symbolic), made concrete: the manifest's shape, else 1 for a leading dim, else 224.</summary>
    private static long[] Concrete(string name, int[] dims, ShapeInferenceOptions shapes)
    {
        if (shapes.InputShapes.TryGetValue(name, out var given) && given.Count == dims.Length)
        {
            return [.. given];
        }

        return [.. dims.Select((d, i) => d > 0 ? d : i == 0 ? 1L : 224L)];
    }

    private static float[] Normal(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller: a seeded standard normal, the same on every machine.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>
    /// Runs both models with every floating value they share by name exposed, and returns the first node of the output
    /// model (in its order) whose output is out of tolerance; null when no shared intermediate explains the divergence.
    /// </summary>
    private static string? FirstDivergingNode(OnnxGraph before, OnnxGraph after, IReadOnlyDictionary<string, TensorProto> feed, PassTolerance tolerance, PassContext context)
    {
        var beforeTypes = ShapeInference.Run(before, ShapeInferenceOptions.Default with { Lenient = true }).ElementTypes;
        var afterTypes = ShapeInference.Run(after, ShapeInferenceOptions.Default with { Lenient = true }).ElementTypes;
        var candidates = new List<(string Node, string Value)>();
        foreach (var node in after.Nodes)
        {
            foreach (var output in node.Outputs.Where(o => !o.IsEmpty))
            {
                if (before.Find(output.Name) is { Producer: not null } shared && IsFloatingType(afterTypes.GetValueOrDefault(output)) && IsFloatingType(beforeTypes.GetValueOrDefault(shared)))
                {
                    candidates.Add((node.Name, output.Name));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        try
        {
            var names = candidates.Select(c => c.Value).ToList();
            // Exported again here: the check's own protos were let go so that only one model is held while it runs.
            var expected = RunExposed(before.Export(), beforeTypes, names, feed, context);
            var actual = RunExposed(after.Export(), afterTypes, names, feed, context);
            var lenient = tolerance.ComparesValues ? tolerance : new PassTolerance(null, null);
            for (var i = 0; i < names.Count; i++)
            {
                if (Problem(expected[i], actual[i], lenient) is not null)
                {
                    return candidates[i].Node;
                }
            }
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or NotSupportedException or KeyNotFoundException)
        {
            // Exposing intermediates can fail where the plain model runs (a value ORT fuses away); the error still stands.
        }

        return null;
    }

    private static IReadOnlyList<TensorProto> RunExposed(ModelProto model, IReadOnlyDictionary<Value, int> types, IReadOnlyList<string> names,
        IReadOnlyDictionary<string, TensorProto> feed, PassContext context)
    {
        var graph = OnnxGraph.Import(model);
        foreach (var name in names)
        {
            var value = graph[name];
            var type = types.FirstOrDefault(p => p.Key.Name == name).Value;
            if (!value.IsGraphOutput && value.Initializer is null)
            {
                value.Info = new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } } };
            }
        }

        graph.ExposeAsOutputs(names);
        using var runner = TensorRunner.Load(graph.Export(), context.IntraOpThreads);
        return runner.Run(feed, names);
    }

    private static bool IsFloatingType(int type) => (DataType)type is DataType.Float or DataType.Float16 or DataType.Double;
}
