using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Onnx;

/// <summary>
/// Upgrades a model's default-domain opset (from 7 or later; older attributes such as <c>consumed_inputs</c> and
/// <c>is_test</c> are dropped as well) to a target up to 13, so that later passes see one operator form: attributes that
/// became inputs (Reshape shape, Squeeze/Unsqueeze/Split/ReduceSum axes, Pad pads, Clip min/max, Slice, Dropout ratio)
/// turn into initializers, BatchNormalization loses <c>spatial</c>, and Softmax/LogSoftmax/Hardmax keep their pre-13
/// "flatten to 2-D" meaning, Upsample and Resize-10 become Resize-11+ with their coordinate rule (asymmetric, floor), and
/// If/Loop/Scan bodies are upgraded with the graph. Operators whose old form cannot be expressed fail with CMP2013
/// naming the node.
/// Reference: https://github.com/onnx/onnx/blob/main/docs/Changelog.md
/// </summary>
public static class OpsetUpgrader
{
    public const long MaxTargetOpset = 13;

    /// <summary>Returns the upgraded model; the input model is not changed. A model already at or above the target is returned as a copy.</summary>
    public static ModelProto Upgrade(ModelProto model, long targetOpset = MaxTargetOpset, string? modelPath = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = OnnxGraph.Import(model);
        Upgrade(graph, targetOpset, modelPath);
        return graph.Export();
    }

    public static void Upgrade(OnnxGraph graph, long targetOpset = MaxTargetOpset, string? modelPath = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var location = modelPath is null ? SourceLocation.None : SourceLocation.InFile(modelPath);
        if (targetOpset > MaxTargetOpset)
        {
            throw new CompressionException(DiagnosticCodes.OpsetUpgradeUnsupported, location,
                $"opset upgrade goes up to {MaxTargetOpset}; {targetOpset} was asked for");
        }

        var from = graph.OpsetVersion();
        if (from >= targetOpset)
        {
            return;
        }

        UpgradeNodes(graph, from, targetOpset, location);
        graph.SetOpsetVersion(string.Empty, targetOpset);

        // Opset 13 needs IR 7 (ONNX 1.8); opsets 11 and 12 need IR 6 and 7.
        var minimumIr = targetOpset >= 12 ? 7 : targetOpset >= 11 ? 6 : targetOpset >= 10 ? 5 : 4;
        if (graph.IrVersion < minimumIr)
        {
            graph.SetIrVersion(minimumIr);
        }

        graph.Cleanup();
        graph.TopologicalSort();
    }

    /// <summary>Upgrades every default-domain node of <paramref name="graph"/>, and the nodes of its If/Loop/Scan bodies, which share the model's opset.</summary>
    private static void UpgradeNodes(OnnxGraph graph, long from, long to, SourceLocation location)
    {
        var shapes = ShapeInference.Run(graph, ShapeInferenceOptions.Default with { Lenient = true });
        foreach (var node in graph.Nodes.ToList())
        {
            foreach (var attribute in node.Attributes.Where(a => a.G is not null || a.Graphs.Count > 0))
            {
                if (attribute.G is not null)
                {
                    attribute.G = UpgradeSubgraph(graph, attribute.G, from, to, location);
                }

                for (var i = 0; i < attribute.Graphs.Count; i++)
                {
                    attribute.Graphs[i] = UpgradeSubgraph(graph, attribute.Graphs[i], from, to, location);
                }
            }

            if (node.Domain is not ("" or "ai.onnx"))
            {
                continue;
            }

            new NodeUpgrade(graph, node, from, to, shapes, location).Apply();
        }
    }

    /// <summary>A body graph upgraded like the main graph; names it reads from the enclosing scope stay as they are.</summary>
    private static GraphProto UpgradeSubgraph(OnnxGraph outer, GraphProto body, long from, long to, SourceLocation location)
    {
        var wrapper = new ModelProto { IrVersion = outer.IrVersion, Graph = body };
        wrapper.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = from });
        var graph = OnnxGraph.Import(wrapper);
        UpgradeNodes(graph, from, to, location);
        return graph.Export().Graph;
    }

    /// <summary>The changes one node needs between opset <c>from</c> and <c>to</c>.</summary>
    private sealed class NodeUpgrade(OnnxGraph graph, Node node, long from, long to, ShapeInferenceResult shapes, SourceLocation location)
    {
        private bool Crosses(long version) => from < version && to >= version;

        public void Apply()
        {
            // Removed in opset 6 (consumed_inputs) and 7 (is_test) from every operator that had them.
            node.RemoveAttribute("consumed_inputs");
            node.RemoveAttribute("is_test");
            switch (node.OpType)
            {
                case "BatchNormalization" when Crosses(9):
                    if (node.GetInt("spatial", 1) == 0)
                    {
                        throw Unsupported("spatial=0 (per-activation statistics) has no opset 9+ form");
                    }

                    node.RemoveAttribute("spatial");
                    DropUnusedOptionalOutputs(1);
                    break;
                case "Dropout" when Crosses(12):
                    if (node.Attribute("ratio") is { } ratio)
                    {
                        node.RemoveAttribute("ratio");
                        graph.AddInput(node, graph.AddInitializer<float>($"{node.Name}_ratio", [], [ratio.F]));
                    }

                    break;
                case "Reshape" when Crosses(5) && node.GetInts("shape") is { } shape:
                    AttributeToInput("shape", [.. shape], 1);
                    break;
                case "Squeeze" or "Unsqueeze" when Crosses(13) && node.GetInts("axes") is { } axes:
                    AttributeToInput("axes", [.. axes], 1);
                    break;
                case "ReduceSum" when Crosses(13) && node.GetInts("axes") is { } axes:
                    AttributeToInput("axes", [.. axes], 1);
                    break;
                case "Split" when Crosses(13) && node.GetInts("split") is { } split:
                    AttributeToInput("split", [.. split], 1);
                    break;
                case "Slice" when Crosses(10):
                    UpgradeSlice();
                    break;
                case "Pad" when Crosses(11):
                    UpgradePad();
                    break;
                case "Clip" when Crosses(11):
                    UpgradeClip();
                    break;
                case "Softmax" or "LogSoftmax" or "Hardmax" when Crosses(13):
                    UpgradeSoftmax();
                    break;
                case "Upsample" when Crosses(10):
                    UpgradeUpsample();
                    break;
                case "Resize" when from == 10 && to >= 11:
                    UpgradeResize10();
                    break;
                case "TopK" when Crosses(10) && node.Attribute("k") is { } k:
                    node.RemoveAttribute("k");
                    graph.AddInput(node, graph.AddInitializer<long>($"{node.Name}_k", [1], [k.I]));
                    break;
                case "Add" or "Sub" or "Mul" or "Div" or "Gemm" or "Pow" or "PRelu" or "Equal" or "Less" or "Greater" or "And" or "Or" or "Xor":
                    RemoveLegacyBroadcast();
                    break;
                case "Concat" when node.Attribute("axis") is null:
                    node.SetAttribute("axis", 1L); // opsets below 4 defaulted to 1; 4+ require it
                    break;
            }
        }

        private CompressionException Unsupported(string problem) =>
            new(DiagnosticCodes.OpsetUpgradeUnsupported, location with { Element = $"node {node.Name}" },
                $"{node.OpType} node '{node.Name}' cannot be upgraded from opset {from} to {to}: {problem}");

        private void AttributeToInput(string attribute, long[] values, int inputIndex)
        {
            node.RemoveAttribute(attribute);
            var value = graph.AddInitializer<long>($"{node.Name}_{attribute}", [values.Length], values);
            SetInputAt(inputIndex, value);
        }

        private void SetInputAt(int index, Value value)
        {
            while (node.Inputs.Count < index)
            {
                graph.AddInput(node, graph.Empty);
            }

            if (node.Inputs.Count == index)
            {
                graph.AddInput(node, value);
            }
            else
            {
                graph.SetInput(node, index, value);
            }
        }

        private void DropUnusedOptionalOutputs(int keep)
        {
            for (var i = keep; i < node.Outputs.Count; i++)
            {
                if (!node.Outputs[i].IsEmpty && (node.Outputs[i].Consumers.Count > 0 || node.Outputs[i].IsGraphOutput))
                {
                    throw Unsupported($"training output {i} ('{node.Outputs[i].Name}') is used");
                }
            }

            while (node.Outputs.Count > keep)
            {
                node.OutputList.RemoveAt(node.OutputList.Count - 1);
            }
        }

        /// <summary>
        /// Upsample (opsets 7-9: scales as an attribute, then as an input) is Resize-10 under another name; from opset 11
        /// Resize needs the old coordinate rule said out loud: <c>asymmetric</c> (x_in = x_out / scale) and, for nearest,
        /// <c>floor</c>, which is what Upsample computes for the upscaling it is used for.
        /// </summary>
        private void UpgradeUpsample()
        {
            Value scales;
            if (node.GetFloats("scales") is { } attribute)
            {
                node.RemoveAttribute("scales");
                scales = graph.AddInitializer<float>($"{node.Name}_scales", [attribute.Count], attribute.ToArray());
            }
            else if (node.Inputs.Count > 1 && !node.Inputs[1].IsEmpty)
            {
                scales = node.Inputs[1];
            }
            else
            {
                throw Unsupported("it has neither a scales attribute nor a scales input");
            }

            var mode = node.GetString("mode", "nearest");
            if (mode is not ("nearest" or "linear" or "bilinear"))
            {
                throw Unsupported($"mode '{mode}' has no Resize form");
            }

            node.OpType = "Resize";
            node.SetAttribute("mode", mode == "nearest" ? "nearest" : "linear");
            while (node.Inputs.Count > 1)
            {
                node.InputList.RemoveAt(node.InputList.Count - 1);
            }

            graph.AddInput(node, scales);
            if (to >= 11)
            {
                UpgradeResize10();
            }
        }

        /// <summary>Resize-10 (X, scales) becomes Resize-11+ (X, roi, scales) with Resize-10's coordinate rule kept.</summary>
        private void UpgradeResize10()
        {
            var scales = node.Inputs[1];
            // Opsets 11 and 12 require the roi input (ignored unless tf_crop_and_resize); 13 lets it be omitted.
            var roi = to >= 13 ? graph.Empty : graph.AddInitializer<float>($"{node.Name}_roi", [0], ReadOnlySpan<float>.Empty);
            graph.SetInput(node, 1, roi);
            graph.AddInput(node, scales);
            node.SetAttribute("coordinate_transformation_mode", "asymmetric");
            if (node.GetString("mode", "nearest") == "nearest")
            {
                node.SetAttribute("nearest_mode", "floor");
            }
        }

        private void UpgradeSlice()
        {
            var starts = node.GetInts("starts") ?? throw Unsupported("no starts attribute");
            var ends = node.GetInts("ends") ?? throw Unsupported("no ends attribute");
            var axes = node.GetInts("axes");
            node.RemoveAttribute("starts");
            node.RemoveAttribute("ends");
            node.RemoveAttribute("axes");
            SetInputAt(1, graph.AddInitializer<long>($"{node.Name}_starts", [starts.Count], starts.ToArray()));
            SetInputAt(2, graph.AddInitializer<long>($"{node.Name}_ends", [ends.Count], ends.ToArray()));
            if (axes is not null)
            {
                SetInputAt(3, graph.AddInitializer<long>($"{node.Name}_axes", [axes.Count], axes.ToArray()));
            }
        }

        private void UpgradePad()
        {
            var pads = node.GetInts("pads") ?? node.GetInts("paddings") ?? throw Unsupported("no pads attribute");
            var value = node.GetFloat("value", 0f);
            node.RemoveAttribute("pads");
            node.RemoveAttribute("paddings");
            node.RemoveAttribute("value");
            SetInputAt(1, graph.AddInitializer<long>($"{node.Name}_pads", [pads.Count], pads.ToArray()));
            if (value != 0f && node.GetString("mode", "constant") == "constant")
            {
                SetInputAt(2, graph.AddInitializer<float>($"{node.Name}_value", [], [value]));
            }
        }

        private void UpgradeClip()
        {
            var min = node.Attribute("min");
            var max = node.Attribute("max");
            node.RemoveAttribute("min");
            node.RemoveAttribute("max");
            if (min is not null)
            {
                SetInputAt(1, graph.AddInitializer<float>($"{node.Name}_min", [], [min.F]));
            }

            if (max is not null)
            {
                SetInputAt(2, graph.AddInitializer<float>($"{node.Name}_max", [], [max.F]));
            }
        }

        /// <summary>
        /// Before opset 13 these operators flatten the input to 2-D at <c>axis</c> (default 1) and normalise over all
        /// trailing dims; from 13 they normalise over the one <c>axis</c> (default -1). When the axis is the last one
        /// both agree; otherwise the old meaning is kept with Flatten → op(axis=-1) → Reshape to the input's shape.
        /// </summary>
        private void UpgradeSoftmax()
        {
            var axis = node.GetInt("axis", 1);
            var input = node.Inputs[0];
            var rank = shapes.ShapeOf(input)?.Rank;
            if (rank is { } r && (axis == r - 1 || axis == -1))
            {
                node.SetAttribute("axis", -1L);
                return;
            }

            if (rank is { } known && axis < 0)
            {
                axis += known;
            }

            var flatten = graph.AddNode("Flatten", [input], [$"{input.Name}_2d"], name: $"{node.Name}_flatten", index: IndexOf(node));
            flatten.SetAttribute("axis", axis);
            var shape = graph.AddNode("Shape", [input], [$"{input.Name}_shape"], name: $"{node.Name}_shape", index: IndexOf(node));
            graph.SetInput(node, 0, flatten.Outputs[0]);
            node.SetAttribute("axis", -1L);
            var output = node.Outputs[0];
            var normalized = graph.AddValue($"{output.Name}_2d");
            graph.SetOutput(node, 0, normalized);
            var reshape = graph.AddNodeAfter(node, "Reshape", [normalized, shape.Outputs[0]], ["unused"], name: $"{node.Name}_reshape");
            graph.SetOutput(reshape, 0, output);
        }

        private int IndexOf(Node target) => graph.Nodes.ToList().IndexOf(target);

        /// <summary>
        /// Opsets below 7 broadcast only with <c>broadcast=1</c>, aligning B at <c>axis</c> of A; numpy broadcasting
        /// (7+) aligns trailing dims, so a constant B is reshaped with trailing 1s to keep the same alignment.
        /// </summary>
        private void RemoveLegacyBroadcast()
        {
            var broadcast = node.Attribute("broadcast");
            var axis = node.Attribute("axis");
            node.RemoveAttribute("broadcast");
            if (node.OpType == "Gemm" || broadcast is null || broadcast.I == 0 || axis is null)
            {
                node.RemoveAttribute("axis");
                return;
            }

            node.RemoveAttribute("axis");
            var a = shapes.ShapeOf(node.Inputs[0]);
            if (a is null || !graph.TryGetConstant(node.Inputs[1], out var b) || node.Inputs[1].Initializer is null)
            {
                throw Unsupported("legacy broadcast with an axis needs a known A shape and a constant B");
            }

            var start = axis.I < 0 ? axis.I + a.Rank : axis.I;
            var trailing = a.Rank - start - b.Dims.Count;
            if (trailing > 0)
            {
                var reshaped = b.Clone();
                reshaped.Dims.AddRange(Enumerable.Repeat(1L, (int)trailing));
                reshaped.Name = node.Inputs[1].Name + "_aligned";
                graph.SetInput(node, 1, graph.AddInitializer(reshaped));
            }
        }
    }
}
