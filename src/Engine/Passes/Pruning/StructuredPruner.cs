using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// Removes whole Conv output channels and everything coupled to them (see <see cref="ChannelDependencyGraph"/>),
/// leaving a smaller dense model. Groups the dependency graph cannot prove safe are left whole, with a warning
/// naming the node that blocked them.
/// </summary>
public static class StructuredPruner
{
    /// <summary>Global ranking never empties a group below this share of its channels.</summary>
    private const double MinimumKeptShare = 0.1;

    /// <summary>Blocked groups a refusal names as examples, after the counts per reason.</summary>
    private const int NamedBlockedGroups = 3;

    /// <summary>
    /// Which channels of each prunable group survive: group id → kept channel indices, ascending. <paramref name="Candidates"/>
    /// counts the groups the ratio was applied to (neither blocked nor protected).
    /// </summary>
    public sealed record Plan(ChannelDependencyGraph Dependencies, IReadOnlyDictionary<int, int[]> Keep, IReadOnlyList<PassWarning> Warnings, int Candidates);

    public static Plan Choose(OnnxGraph graph, PruneOptions options, ShapeInferenceOptions? shapes = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        // Symbols stay symbols unless the manifest gave the input's shape: a dynamic H or W must not pass for a known
        // spatial size when a Flatten is followed.
        var inferred = ShapeInference.Run(graph, shapes);
        var dependencies = ChannelDependencyGraph.Build(graph, inferred);
        var warnings = new PassWarnings();
        var candidates = new List<(ChannelGroup Group, double Ratio, double[] Scores)>();
        foreach (var group in dependencies.Groups.Where(g => g.Producers.Count > 0))
        {
            if (!group.IsPrunable)
            {
                warnings.Add(DiagnosticCodes.ChannelGroupKeptWhole, $"kept {Describe(group)} whole: pruning cannot follow its channels through {group.Blockers[0]}");
                continue;
            }

            if (group.Producers.FirstOrDefault(p => options.Protect.Contains(p.Name)) is { } protectedNode)
            {
                continue;
            }

            var ratio = group.Producers.Select(p => options.LayerRatios.TryGetValue(p.Name, out var r) ? r : (double?)null).FirstOrDefault(r => r is not null) ?? options.Ratio;
            candidates.Add((group, ratio, Importance(graph, dependencies, group, options.Importance)));
        }

        var keep = new Dictionary<int, int[]>();
        var keptCounts = options.Scope == PruneScope.Global ? GlobalCounts(candidates, options) : candidates.ToDictionary(c => c.Group.Id, c => c.Group.Size - (int)Math.Floor(c.Ratio * c.Group.Size));
        foreach (var (group, _, scores) in candidates)
        {
            var count = RoundUp(Math.Max(1, keptCounts[group.Id]), options.RoundTo, group.Size);
            if (count >= group.Size)
            {
                continue;
            }

            keep[group.Id] = Enumerable.Range(0, group.Size).OrderByDescending(c => scores[c]).ThenBy(c => c).Take(count).Order().ToArray();
        }

        return new Plan(dependencies, keep, warnings, candidates.Count);
    }

    /// <summary>
    /// CMP2240 for a plan with no candidate group: the model has no Conv channel group, or every one is blocked or
    /// protected. The message counts the groups per blocking reason (node names left out), then names the first few.
    /// </summary>
    public static CompressionException NothingToPrune(Plan plan, PruneOptions options, string modelName)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var groups = plan.Dependencies.Groups.Where(g => g.Producers.Count > 0).ToList();
        var prefix = $"prune ({modelName}): structured pruning found nothing to prune";
        if (groups.Count == 0)
        {
            return new CompressionException(DiagnosticCodes.NothingToPruneStructurally, SourceLocation.None,
                $"{prefix}: the model has no Conv or ConvTranspose output channels to remove; use `prune: {{ method: magnitude }}` or quantization for it");
        }

        var blocked = groups.Where(g => !g.IsPrunable).ToList();
        var protectedCount = groups.Count(g => g.IsPrunable && g.Producers.Any(p => options.Protect.Contains(p.Name)));
        var reasons = blocked.GroupBy(g => BlockerKind(g.Blockers[0]))
            .OrderByDescending(r => r.Count()).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Key}: {r.Count()}")
            .Concat(protectedCount > 0 ? [$"protected by `protect`: {protectedCount}"] : []);
        var examples = blocked.Take(NamedBlockedGroups).Select(g => $"{Describe(g)} through {g.Blockers[0]}");
        return new CompressionException(DiagnosticCodes.NothingToPruneStructurally, SourceLocation.None,
            $"{prefix}: all {groups.Count} channel groups are kept whole ({string.Join(", ", reasons)})"
            + (blocked.Count > 0 ? $"; e.g. {string.Join("; ", examples)}" : string.Empty)
            + "; nothing would change, so no pruned model is written. Use `prune: { method: magnitude }` for this model, or drop the variant");
    }

    /// <summary>A blocker without the names in it: "Transpose '/x'" → "Transpose", "grouped Conv 'c' (group=4)" → "grouped Conv".</summary>
    internal static string BlockerKind(string blocker)
    {
        var kind = System.Text.RegularExpressions.Regex.Replace(blocker, @"'[^']*'|\(group=\d+\)", " ");
        return string.Join(' ', kind.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Cuts every slice, depthwise group count and declared shape the plan touches; records kept indices in <paramref name="record"/>.</summary>
    public static void Apply(OnnxGraph graph, Plan plan, PruningRecord? record)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var bySlot in plan.Dependencies.Slices.GroupBy(s => (s.Node, s.InputIndex)))
        {
            var (node, inputIndex) = bySlot.Key;
            var cuts = bySlot.Select(s => (s.Axis, Keep: KeptIndices(s.Layout, plan.Keep))).Where(c => c.Keep is not null).ToArray();
            if (cuts.Length == 0)
            {
                continue;
            }

            var value = node.Inputs[inputIndex];
            graph.TryGetConstant(value, out var tensor);
            var data = TensorData.ReadFloats(tensor);
            var dims = tensor.Dims.ToArray();
            foreach (var (axis, kept) in cuts)
            {
                data = TensorSlicer.Slice(data, dims, axis, kept!, out dims);
                record?.Remember(node.Name, inputIndex, axis, kept!);
            }

            var sliced = graph.AddInitializer<float>(value.Name + "_pruned", dims, data);
            graph.SetInput(node, inputIndex, sliced);
        }

        foreach (var (node, layout) in plan.Dependencies.DepthwiseConvs)
        {
            if (KeptIndices(layout, plan.Keep) is { } kept)
            {
                node.SetAttribute("group", (long)kept.Length);
            }
        }

        foreach (var (node, layout) in plan.Dependencies.FlatteningReshapes)
        {
            if (KeptIndices(layout, plan.Keep) is { } kept)
            {
                graph.TryGetConstant(node.Inputs[1], out var target);
                var entries = TensorData.ReadInt64s(target);
                var shape = graph.AddInitializer<long>(node.Inputs[1].Name + "_pruned", [2], [entries[0], (long)kept.Length]);
                graph.SetInput(node, 1, shape);
            }
        }

        foreach (var (node, inputIndex, entry, layout) in plan.Dependencies.ChannelCountInputs)
        {
            if (KeptIndices(layout, plan.Keep) is { } kept)
            {
                graph.TryGetConstant(node.Inputs[inputIndex], out var counts);
                var entries = TensorData.ReadInt64s(counts);
                entries[entry] = kept.Length;
                graph.SetInput(node, inputIndex, graph.AddInitializer<long>(node.Inputs[inputIndex].Name + "_pruned", [entries.Length], entries));
            }
        }

        foreach (var (value, layout) in plan.Dependencies.Values)
        {
            if (KeptIndices(layout, plan.Keep) is { } kept && value.Info?.Type?.TensorType?.Shape is { Dim.Count: >= 2 } shape)
            {
                shape.Dim[1] = new Onnx.Protobuf.TensorShapeProto.Types.Dimension { DimValue = kept.Length };
            }
        }

        if (record is not null)
        {
            foreach (var (groupId, kept) in plan.Keep)
            {
                var group = plan.Dependencies.GroupOf(groupId);
                var removed = Enumerable.Range(0, group.Size).Except(kept).ToArray();
                foreach (var producer in group.Producers)
                {
                    record.RemovedChannels[producer.Name] = removed;
                }
            }
        }
    }

    /// <summary>Details for the report: channels per group and counts.</summary>
    public static void Describe(Plan plan, IDictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(details);
        var prunable = plan.Dependencies.Groups.Count(g => g.Producers.Count > 0);
        details["groups"] = string.Create(CultureInfo.InvariantCulture, $"{plan.Keep.Count} of {prunable} channel groups pruned");
        foreach (var (groupId, kept) in plan.Keep.OrderBy(p => p.Key))
        {
            var group = plan.Dependencies.GroupOf(groupId);
            details[$"channels.{group.Producers[0].Name}"] = string.Create(CultureInfo.InvariantCulture, $"{group.Size} -> {kept.Length}")
                + (group.Producers.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (with {group.Producers.Count - 1} coupled Conv)") : string.Empty);
        }
    }

    /// <summary>The kept positions along an axis laid out as <paramref name="layout"/>; null when nothing in it is cut.</summary>
    internal static int[]? KeptIndices(IReadOnlyList<ChannelSegment> layout, IReadOnlyDictionary<int, int[]> keep)
    {
        if (!layout.Any(s => keep.ContainsKey(s.Group)))
        {
            return null;
        }

        var result = new List<int>();
        var offset = 0;
        foreach (var segment in layout)
        {
            var channels = keep.TryGetValue(segment.Group, out var kept) ? kept : Enumerable.Range(0, segment.Count);
            foreach (var c in channels)
            {
                for (var j = 0; j < segment.Inner; j++)
                {
                    result.Add(offset + c * segment.Inner + j);
                }
            }

            offset += segment.Width;
        }

        return [.. result];
    }

    private static Dictionary<int, int> GlobalCounts(List<(ChannelGroup Group, double Ratio, double[] Scores)> candidates, PruneOptions options)
    {
        // Scores are divided by their group's mean so that layers with large weights do not keep everything.
        var ranked = candidates
            .SelectMany(c =>
            {
                var mean = c.Scores.Average();
                return c.Scores.Select((s, channel) => (c.Group, Score: mean > 0 ? s / mean : 0, channel));
            })
            .OrderBy(x => x.Score)
            .ToList();
        var counts = candidates.ToDictionary(c => c.Group.Id, c => c.Group.Size);
        var floor = candidates.ToDictionary(c => c.Group.Id, c => Math.Max(1, (int)Math.Ceiling(MinimumKeptShare * c.Group.Size)));
        var toRemove = (int)Math.Floor(options.Ratio * candidates.Sum(c => c.Group.Size));
        foreach (var (group, _, _) in ranked)
        {
            if (toRemove == 0)
            {
                break;
            }

            if (counts[group.Id] > floor[group.Id])
            {
                counts[group.Id]--;
                toRemove--;
            }
        }

        return counts;
    }

    private static int RoundUp(int count, int multiple, int size) =>
        multiple <= 1 ? count : Math.Min(size, (count + multiple - 1) / multiple * multiple);

    private static double[] Importance(OnnxGraph graph, ChannelDependencyGraph dependencies, ChannelGroup group, ChannelImportance importance)
    {
        if (importance == ChannelImportance.Group)
        {
            return GroupImportance(graph, dependencies, group);
        }

        var scores = new double[group.Size];
        if (importance == ChannelImportance.BnScale)
        {
            var found = false;
            foreach (var slice in dependencies.Slices.Where(s => s.Node.OpType == "BatchNormalization" && s.InputIndex == 1
                && s.Layout.Count == 1 && s.Layout[0].Group == group.Id))
            {
                graph.TryGetConstant(slice.Node.Inputs[1], out var gamma);
                var values = TensorData.ReadFloats(gamma);
                for (var c = 0; c < scores.Length; c++)
                {
                    scores[c] += Math.Abs(values[c]);
                }

                found = true;
            }

            if (found)
            {
                return scores;
            }
        }

        foreach (var producer in group.Producers)
        {
            // The output channels lie on the weight's output axis: 0 for Conv, 1 for ConvTranspose ([C_in, C_out, k, k]).
            graph.TryGetConstant(producer.Inputs[1], out var weight);
            var values = TensorData.ReadFloats(weight);
            var axis = OperatorTraits.Of(producer).Weight!.OutputAxis(producer);
            var inner = weight.Dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
            var sums = new double[group.Size];
            for (var i = 0; i < values.Length; i++)
            {
                var c = (int)(i / inner % group.Size);
                sums[c] += importance == ChannelImportance.L2 ? (double)values[i] * values[i] : Math.Abs(values[i]);
            }

            for (var c = 0; c < group.Size; c++)
            {
                scores[c] += importance == ChannelImportance.L2 ? Math.Sqrt(sums[c]) : sums[c];
            }
        }

        return scores;
    }

    /// <summary>
    /// Sums, channel by channel, the L1 norm of every weight slice that follows the group: the producers' output
    /// filters, depthwise kernels, BatchNormalization scales and the consumers' input columns (a Gemm column block
    /// after a Flatten counts whole). Each tensor's scores are divided by their mean first, so that a layer with large
    /// weights does not outvote the others. The filters alone miss what decides a channel's effect: after a folded
    /// BatchNormalization every filter has about the same norm, while the kernels and columns that read it differ.
    /// </summary>
    private static double[] GroupImportance(OnnxGraph graph, ChannelDependencyGraph dependencies, ChannelGroup group)
    {
        var scores = new double[group.Size];
        foreach (var slice in dependencies.Slices)
        {
            var weighted = OperatorTraits.Of(slice.Node).Weight is { } weight && weight.Index == slice.InputIndex;
            var bnScale = slice.Node.OpType == "BatchNormalization" && slice.InputIndex == 1;
            if (!weighted && !bnScale || !slice.Layout.Any(s => s.Group == group.Id))
            {
                continue;
            }

            graph.TryGetConstant(slice.Node.Inputs[slice.InputIndex], out var tensor);
            var values = TensorData.ReadFloats(tensor);
            var size = (int)tensor.Dims[slice.Axis];
            var inner = tensor.Dims.Skip(slice.Axis + 1).Aggregate(1L, (a, b) => a * b);
            var positions = new double[size];
            for (var i = 0L; i < values.Length; i++)
            {
                positions[i / inner % size] += Math.Abs(values[i]);
            }

            var channel = new double[group.Size];
            var offset = 0;
            foreach (var segment in slice.Layout)
            {
                if (segment.Group == group.Id)
                {
                    for (var c = 0; c < segment.Count; c++)
                    {
                        for (var j = 0; j < segment.Inner; j++)
                        {
                            channel[c] += positions[offset + c * segment.Inner + j];
                        }
                    }
                }

                offset += segment.Width;
            }

            var mean = channel.Average();
            if (mean > 0)
            {
                for (var c = 0; c < group.Size; c++)
                {
                    scores[c] += channel[c] / mean;
                }
            }
        }

        return scores;
    }

    private static string Describe(ChannelGroup group) => group.Producers.Count == 1
        ? $"the output channels of Conv '{group.Producers[0].Name}'"
        : $"the channels shared by Conv {string.Join(", ", group.Producers.Select(p => $"'{p.Name}'"))}";
}
