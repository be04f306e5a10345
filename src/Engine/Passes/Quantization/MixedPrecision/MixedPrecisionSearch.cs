using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Measurement;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Statistics;

namespace CompressionTasks.Passes.Quantization.MixedPrecision;

/// <summary>
/// <c>precision: auto</c>, measured mixed precision as TensorRT chooses kernels by timing them: the fp32 model and the
/// static int8 model are profiled per node with ONNX Runtime on the run's execution provider and intra-op threads
/// (<see cref="NodeProfiler"/>: median per node over the profiled runs, on seeded inputs of the model's shape); the
/// int8 kernels ORT executes (fused, named after their anchor node) and the QuantizeLinear/DequantizeLinear on each
/// region's boundary are charged back to the fp32 nodes (<see cref="NodeTimeAttribution"/>); every connected int8
/// region (<see cref="PrecisionRegion"/>) predicted slower in int8 than in fp32 returns to fp32
/// (<see cref="PrecisionChoice"/>). The prediction is then checked: fp32, plain int8 and the mix are timed interleaved
/// (<see cref="LatencySampler"/>, paired ratios) and the faster of int8 and the mix is kept; when even that one's
/// whole interval lies below fp32, the model stays fp32 (CMP2181), so the pass never returns a model slower than fp32.
/// </summary>
/// <remarks>
/// The choice depends on this machine's timings: another machine, load or a <c>--force</c> re-run may choose another
/// mix. The chosen fp32 nodes are listed in the details (<c>precisionFp32Nodes</c>) so that <c>excludeNodes</c> can pin
/// them. Only nodes go back to fp32, never the other way, so accuracy is that of the fallback's int8 model or closer to fp32.
/// </remarks>
public static class MixedPrecisionSearch
{
    /// <summary>Profiled runs per model (after <see cref="ProfileWarmupRuns"/> discarded ones); each node's time is its median over them.</summary>
    public const int ProfileRuns = 20;

    public const int ProfileWarmupRuns = 5;

    /// <summary>The interleaved check: at most this long (s), 2% half-width target, at least 10 runs each.</summary>
    public static LatencySettings VerificationSettings { get; } = new(Confidence: 0.95, MaxRelativeHalfWidth: 0.02, WarmupRuns: 5, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 20);

    /// <summary>What the search chose: the nodes kept in fp32 (the fallback's included), or the whole model in fp32.</summary>
    public sealed record Decision(IReadOnlySet<string> Excluded, bool AllFp32);

    public static Decision Choose(
        ModelProto floatModel,
        IReadOnlyDictionary<string, (double Min, double Max)> ranges,
        IReadOnlySet<string> fallenBack,
        QuantizeOptions options,
        PassContext context,
        Dictionary<string, string> details,
        PassWarnings warnings)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(fallenBack);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(warnings);
        var execution = context.Execution ?? new ExecutionSettings(IntraOpThreads: context.IntraOpThreads);
        details["precision"] = "auto";
        details["precisionProvider"] = execution.Provider.ToManifestName();
        details["precisionThreads"] = execution.ResolvedIntraOpThreads.ToString(CultureInfo.InvariantCulture);
        var plain = new Decision(fallenBack, AllFp32: false);

        var floatGraph = OnnxGraph.Import(floatModel);
        var quantizedNames = StaticQuantizationPlan.Create(floatGraph, options, fallenBack).Nodes.Select(n => n.Node.Name).ToArray();
        var regions = PrecisionRegion.Group(floatGraph, quantizedNames);
        details["precisionRegions"] = regions.Count.ToString(CultureInfo.InvariantCulture);
        if (regions.Count == 0)
        {
            details["precisionChosen"] = "int8";
            return plain;
        }

        var int8Graph = Trial(floatModel, ranges, options, fallenBack);
        var inputs = new MeasurementInputs(context.Shapes.InputShapes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        var folder = Directory.CreateTempSubdirectory("compression-precision-");
        try
        {
            var fp32Path = Save(floatModel, folder, "fp32.onnx");
            var int8Path = Save(int8Graph.Export(), folder, "int8.onnx");
            context.Progress?.Report($"{context.ModelName}: precision auto: profiling fp32 and int8 per node");
            var token = context.CancellationToken;
            var fp32Profile = NodeProfiler.Profile(fp32Path, execution, inputs, ProfileWarmupRuns, ProfileRuns, token);
            var int8Profile = NodeProfiler.Profile(int8Path, execution, inputs, ProfileWarmupRuns, ProfileRuns, token);
            var members = regions.SelectMany(r => r.Members).ToHashSet(StringComparer.Ordinal);
            var fp32Times = NodeTimeAttribution.Attribute(fp32Profile, floatGraph);
            var int8Times = NodeTimeAttribution.Attribute(int8Profile, floatGraph, int8Graph, members);
            var choices = PrecisionChoice.Choose(regions, fp32Times.NodeMs, int8Times.NodeMs);
            var fp32Nodes = PrecisionChoice.Fp32Nodes(choices);
            var predictedMixMs = PrecisionChoice.PredictedMixMs(int8Times.TotalMs, choices);
            details["precisionChoices"] = string.Join(",", choices.SelectMany(c => c.Region.Nodes.Select(n => $"{n}={(c.Int8 ? "int8" : "fp32")}")));
            details["precisionRegionTimes"] = string.Join("; ", choices.Select(c =>
                $"r{c.Region.Index} ({c.Region.Nodes.Count} nodes): fp32 {Ms(c.Fp32Ms)} ms, int8 {Ms(c.Int8Ms)} ms -> {(c.Int8 ? "int8" : "fp32")}"));
            details["precisionFp32Nodes"] = string.Join(",", fp32Nodes);
            details["predictedFp32Ms"] = Ms(fp32Times.TotalMs);
            details["predictedInt8Ms"] = Ms(int8Times.TotalMs);
            details["predictedMixMs"] = Ms(predictedMixMs);
            details["predictedInt8Speedup"] = Ratio(fp32Times.TotalMs / int8Times.TotalMs);
            details["predictedMixSpeedup"] = Ratio(fp32Times.TotalMs / predictedMixMs);
            details["precisionUnattributedMs"] = $"fp32 {Ms(fp32Times.UnattributedMs)}, int8 {Ms(int8Times.UnattributedMs)}";

            var mixExcluded = new HashSet<string>(fallenBack, StringComparer.Ordinal);
            mixExcluded.UnionWith(fp32Nodes);
            string? mixPath = null;
            if (fp32Nodes.Count > 0)
            {
                mixPath = Save(Trial(floatModel, ranges, options, mixExcluded).Export(), folder, "mix.onnx");
            }

            context.Progress?.Report($"{context.ModelName}: precision auto: timing fp32, int8{(mixPath is null ? string.Empty : " and the mix")} interleaved");
            var measured = Verify([fp32Path, int8Path, .. mixPath is null ? Array.Empty<string>() : [mixPath]], execution, inputs, token);
            details["measuredFp32Ms"] = Ms(measured.Variants[0].Statistics.MeanMs);
            details["measuredInt8Ms"] = Ms(measured.Variants[1].Statistics.MeanMs);
            details["measuredInt8Speedup"] = Interval(measured.Speedups[1]!);
            if (mixPath is not null)
            {
                details["measuredMixMs"] = Ms(measured.Variants[2].Statistics.MeanMs);
                details["measuredMixSpeedup"] = Interval(measured.Speedups[2]!);
            }

            details["measuredRounds"] = measured.Rounds.ToString(CultureInfo.InvariantCulture);
            var chosen = Keep(measured.Speedups[1]!, mixPath is null ? null : measured.Speedups[2]);
            details["precisionChosen"] = NameOf(chosen);
            switch (chosen)
            {
                case Kept.Fp32:
                    var best = mixPath is null ? measured.Speedups[1]! : Faster(measured.Speedups[1]!, measured.Speedups[2]!);
                    warnings.Add(DiagnosticCodes.PrecisionAutoKeptFp32,
                        $"precision: auto: the faster int8 candidate runs at {Interval(best)} of fp32's speed here ({execution.ResolvedIntraOpThreads} threads, {execution.Provider.ToManifestName()}), so the model stays fp32");
                    details["precisionFp32Nodes"] = string.Join(",", quantizedNames);
                    return new Decision(quantizedNames.ToHashSet(StringComparer.Ordinal), AllFp32: true);
                case Kept.Mix:
                    return new Decision(mixExcluded, AllFp32: false);
                default:
                    details["precisionFp32Nodes"] = string.Empty;
                    return plain;
            }
        }
        catch (CompressionException ex)
        {
            // The measurement chooses, the model is built either way: without it, plain static int8 is the answer.
            warnings.Add(DiagnosticCodes.PrecisionAutoNotMeasured, $"precision: auto could not measure ({ex.Code.Id}: {ex.Message}); kept static int8");
            details["precisionChosen"] = "int8";
            return plain;
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary folder must not fail the pass.
            }
        }
    }

    /// <summary>What the interleaved check keeps.</summary>
    public enum Kept
    {
        Int8,
        Mix,
        Fp32,
    }

    /// <summary>
    /// The faster of plain int8 and the mix (by paired speed-up over fp32; a tie keeps the mix, the prediction's choice),
    /// unless even that one's whole interval lies below 1: then fp32. <paramref name="mix"/> is null when the
    /// prediction kept every region int8.
    /// </summary>
    public static Kept Keep(PairedRatio int8, PairedRatio? mix)
    {
        ArgumentNullException.ThrowIfNull(int8);
        var best = mix is null ? int8 : Faster(int8, mix);
        return best.Verdict == SpeedupVerdict.Slower ? Kept.Fp32 : ReferenceEquals(best, int8) ? Kept.Int8 : Kept.Mix;
    }

    private static PairedRatio Faster(PairedRatio int8, PairedRatio mix) => mix.Estimate >= int8.Estimate ? mix : int8;

    private static string NameOf(Kept kept) => kept switch
    {
        Kept.Mix => "mix",
        Kept.Fp32 => "fp32",
        _ => "int8",
    };

    private static InterleavedSamples Verify(IReadOnlyList<string> paths, ExecutionSettings execution, MeasurementInputs inputs, CancellationToken cancellationToken)
    {
        var sessions = new List<MeasurementSession>();
        try
        {
            foreach (var path in paths)
            {
                sessions.Add(MeasurementSession.Open(path, execution, inputs));
            }

            return new LatencySampler(VerificationSettings).Run([.. sessions.Select(s => (Action)s.RunOnce)], cancellationToken);
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    private static OnnxGraph Trial(ModelProto floatModel, IReadOnlyDictionary<string, (double Min, double Max)> ranges, QuantizeOptions options, IReadOnlySet<string> excluded)
    {
        var graph = OnnxGraph.Import(floatModel);
        StaticQuantizer.Build(graph, StaticQuantizationPlan.Create(graph, options, excluded), ranges, options);
        return graph;
    }

    private static string Save(ModelProto model, DirectoryInfo folder, string name)
    {
        var path = Path.Combine(folder.FullName, name);
        OnnxModelFile.Save(model, path);
        return path;
    }

    private static string Ms(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Ratio(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Interval(PairedRatio ratio) =>
        $"{Ratio(ratio.Estimate)} [{Ratio(ratio.Low)}, {Ratio(ratio.High)}] ({ratio.Pairs} pairs)";
}
