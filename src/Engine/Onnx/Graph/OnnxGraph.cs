using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx.Graph;

/// <summary>
/// An editable view of a model's main graph, in the manner of onnx-graphsurgeon: plain <see cref="Node"/> and
/// <see cref="Value"/> objects that passes rewire directly, then <see cref="Cleanup"/> of dead nodes and
/// <see cref="TopologicalSort"/> before <see cref="Export"/>. Import works on a copy; everything a pass does not
/// edit (metadata, doc strings, opset imports, functions, unknown fields, value order) is exported unchanged.
/// </summary>
public sealed class OnnxGraph
{
    private readonly ModelProto _modelTemplate;
    private readonly GraphProto _graphTemplate;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<Value> _initializers = [];
    private readonly List<Value> _declaredInputOrder = [];
    private readonly List<Value> _valueInfoOrder = [];
    private readonly List<Node> _nodes = [];

    private OnnxGraph(ModelProto modelTemplate, GraphProto graphTemplate)
    {
        _modelTemplate = modelTemplate;
        _graphTemplate = graphTemplate;
        Empty = new Value(this, string.Empty);
    }

    /// <summary>The value standing for an omitted optional input or output (ONNX's empty name).</summary>
    public Value Empty { get; }

    /// <summary>Nodes in their current order; reorder with <see cref="TopologicalSort"/>.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Runtime inputs, not counting initializers that models of IR versions below 4 also list as inputs.</summary>
    public List<Value> Inputs { get; } = [];

    public List<Value> Outputs { get; } = [];

    /// <summary>Initializers in file order, new ones last.</summary>
    public IEnumerable<Value> Initializers => _initializers.Where(v => v.Initializer is not null);

    public long IrVersion => _modelTemplate.IrVersion;

    public string Name => _graphTemplate.Name;

    /// <summary>The opset version imported for <paramref name="domain"/> (empty or <c>ai.onnx</c>: the default domain), or 0.</summary>
    public long OpsetVersion(string domain = "") => _modelTemplate.OpsetImport
        .Where(o => NormalizeDomain(o.Domain) == NormalizeDomain(domain))
        .Select(o => o.Version)
        .FirstOrDefault();

    public void SetOpsetVersion(string domain, long version)
    {
        var existing = _modelTemplate.OpsetImport.FirstOrDefault(o => NormalizeDomain(o.Domain) == NormalizeDomain(domain));
        if (existing is null)
        {
            _modelTemplate.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }
        else
        {
            existing.Version = version;
        }
    }

    public void SetIrVersion(long irVersion) => _modelTemplate.IrVersion = irVersion;

    public static OnnxGraph Import(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is null)
        {
            throw new ArgumentException("The model has no graph.", nameof(model));
        }

        var source = model.Graph;
        ModelProto template;
        model.Graph = null;
        try
        {
            template = model.Clone();
        }
        finally
        {
            model.Graph = source;
        }

        var graphCopy = source.Clone();
        var graph = new OnnxGraph(template, graphCopy);
        graph.Populate(graphCopy);
        return graph;
    }

    public Value? Find(string name) => name.Length == 0 ? Empty : _values.GetValueOrDefault(name);

    public Value this[string name] => Find(name) ?? throw new KeyNotFoundException($"The graph has no value named '{name}'.");

    /// <summary>The nodes reading <paramref name="value"/>, in graph order.</summary>
    public IReadOnlyList<Node> ConsumersOf(Value value) => value.IsEmpty ? [] : _nodes.Where(n => n.Inputs.Contains(value)).ToArray();

    /// <summary>Constant data for a value: its initializer, or the tensor of the Constant node producing it.</summary>
    public bool TryGetConstant(Value value, out TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Initializer is not null)
        {
            tensor = value.Initializer;
            return true;
        }

        if (value.Producer is { OpType: "Constant", Domain: "" or "ai.onnx" } constant && ConstantNodeTensor(constant) is { } t)
        {
            tensor = t;
            return true;
        }

        tensor = null!;
        return false;
    }

    /// <summary>A name not used by any value, <paramref name="prefix"/> itself when free.</summary>
    public string UniqueName(string prefix)
    {
        if (!_values.ContainsKey(prefix) && prefix.Length > 0)
        {
            return prefix;
        }

        for (var i = 1; ; i++)
        {
            var candidate = $"{prefix}_{i}";
            if (!_values.ContainsKey(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>A new value with no producer yet, named <paramref name="name"/> or a unique variant of it.</summary>
    public Value AddValue(string name)
    {
        var value = new Value(this, UniqueName(name));
        _values.Add(value.Name, value);
        return value;
    }

    public Value AddInitializer<T>(string name, ReadOnlySpan<long> dims, ReadOnlySpan<T> data)
        where T : unmanaged => AddInitializer(TensorData.Create(UniqueName(name), dims, data));

    /// <summary>Adds <paramref name="tensor"/> as an initializer; its name is made unique if taken.</summary>
    public Value AddInitializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var value = AddValue(tensor.Name);
        tensor.Name = value.Name;
        value.Initializer = tensor;
        _initializers.Add(value);
        return value;
    }

    /// <summary>
    /// Makes an existing value, whose producer has been removed, an initializer holding <paramref name="tensor"/> (renamed
    /// to the value's name), so that every reader keeps reading it by the same name.
    /// </summary>
    public void SetInitializer(Value value, TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(tensor);
        if (value.Producer is not null || value.IsEmpty || Find(value.Name) != value)
        {
            throw new InvalidOperationException($"Value '{value.Name}' still has a producer, or belongs to another graph.");
        }

        tensor.Name = value.Name;
        value.Initializer = tensor;
        value.Info = null;
        if (!_initializers.Contains(value))
        {
            _initializers.Add(value);
        }
    }

    /// <summary>True when a subgraph (If/Loop/Scan body) reads <paramref name="value"/> by name from this graph's scope.</summary>
    public bool IsReadBySubgraph(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SubgraphReferences().Contains(value.Name);
    }

    /// <summary>Removes an initializer's data; consumers must have been rewired first (or call <see cref="Cleanup"/>).</summary>
    public void RemoveInitializer(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.Initializer = null;
        _initializers.Remove(value);
    }

    /// <summary>
    /// Adds a node reading <paramref name="inputs"/> and producing new values named <paramref name="outputNames"/>
    /// (made unique), at <paramref name="index"/> in node order or at the end.
    /// </summary>
    public Node AddNode(string opType, IEnumerable<Value> inputs, IEnumerable<string> outputNames, string? name = null, string domain = "", int? index = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputNames);
        var source = new NodeProto { OpType = opType, Name = name ?? UniqueNodeName(opType) };
        if (domain.Length > 0)
        {
            source.Domain = domain;
        }

        var outputs = outputNames.Select(AddValue).ToList();
        var node = new Node(source, [.. inputs], outputs);
        foreach (var output in outputs)
        {
            output.Producer = node;
        }

        _nodes.Insert(index ?? _nodes.Count, node);
        return node;
    }

    /// <summary>Adds a node right after <paramref name="anchor"/> (so sorting keeps it near the code it belongs to).</summary>
    public Node AddNodeAfter(Node anchor, string opType, IEnumerable<Value> inputs, IEnumerable<string> outputNames, string? name = null, string domain = "") =>
        AddNode(opType, inputs, outputNames, name, domain, _nodes.IndexOf(anchor) + 1);

    /// <summary>Removes a node; its outputs stay as values without a producer until rewired or cleaned up.</summary>
    public void RemoveNode(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!_nodes.Remove(node))
        {
            return;
        }

        foreach (var output in node.Outputs.Where(o => o.Producer == node))
        {
            output.Producer = null;
        }
    }

    public void SetInput(Node node, int index, Value value)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.InputList[index] = value;
    }

    public void AddInput(Node node, Value value)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.InputList.Add(value);
    }

    /// <summary>Makes <paramref name="node"/> produce <paramref name="value"/> as its output <paramref name="index"/>.</summary>
    public void SetOutput(Node node, int index, Value value)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(value);
        var previous = node.OutputList[index];
        if (previous.Producer == node)
        {
            previous.Producer = null;
        }

        node.OutputList[index] = value;
        value.Producer = node;
    }

    /// <summary>Every node input and graph output reading <paramref name="old"/> reads <paramref name="replacement"/> instead.</summary>
    public void ReplaceAllUses(Value old, Value replacement)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(replacement);
        foreach (var node in _nodes)
        {
            for (var i = 0; i < node.InputList.Count; i++)
            {
                if (node.InputList[i] == old)
                {
                    node.InputList[i] = replacement;
                }
            }
        }

        for (var i = 0; i < Outputs.Count; i++)
        {
            if (Outputs[i] == old)
            {
                Outputs[i] = replacement;
            }
        }
    }

    /// <summary>
    /// Renames a value everywhere in the main graph. Subgraphs (If/Loop bodies) that refer to it by name are not
    /// rewritten, so renaming such a value is refused.
    /// </summary>
    public void Rename(Value value, string newName)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrEmpty(newName);
        if (value.Name == newName)
        {
            return;
        }

        if (_values.ContainsKey(newName))
        {
            throw new InvalidOperationException($"A value named '{newName}' already exists.");
        }

        if (SubgraphReferences().Contains(value.Name))
        {
            throw new InvalidOperationException($"Value '{value.Name}' is used inside a subgraph and cannot be renamed.");
        }

        _values.Remove(value.Name);
        value.Name = newName;
        _values.Add(newName, value);
        if (value.Initializer is not null)
        {
            value.Initializer.Name = newName;
        }
    }

    /// <summary>
    /// Removes nodes whose outputs reach no graph output, then initializers and values nothing uses any more.
    /// Graph inputs are kept (they are the model's interface). Returns the number of nodes removed.
    /// </summary>
    public int Cleanup()
    {
        var live = new HashSet<Value>(Outputs);
        foreach (var name in SubgraphReferences())
        {
            if (Find(name) is { } usedInSubgraph)
            {
                live.Add(usedInSubgraph);
            }
        }

        var liveNodes = new HashSet<Node>();
        var stack = new Stack<Value>(live);
        while (stack.Count > 0)
        {
            var value = stack.Pop();
            if (value.Producer is { } producer && _nodes.Contains(producer) && liveNodes.Add(producer))
            {
                foreach (var input in producer.Inputs.Where(live.Add))
                {
                    stack.Push(input);
                }
            }
        }

        var removed = _nodes.RemoveAll(n => !liveNodes.Contains(n));
        _initializers.RemoveAll(v =>
        {
            if (live.Contains(v))
            {
                return false;
            }

            v.Initializer = null;
            return true;
        });

        var referenced = new HashSet<Value>(Inputs.Concat(Outputs).Concat(_initializers).Concat(live));
        foreach (var node in _nodes)
        {
            referenced.UnionWith(node.Outputs);
        }

        foreach (var name in _values.Keys.ToArray())
        {
            var value = _values[name];
            if (!referenced.Contains(value))
            {
                _values.Remove(name);
                if (value.Producer is { } p && !_nodes.Contains(p))
                {
                    value.Producer = null;
                }
            }
        }

        return removed;
    }

    /// <summary>Orders nodes so that every node follows the producers of its inputs, keeping the current order where it already does.</summary>
    public void TopologicalSort()
    {
        var order = new Dictionary<Node, int>();
        for (var i = 0; i < _nodes.Count; i++)
        {
            order[_nodes[i]] = i;
        }

        var pending = new Dictionary<Node, int>();
        var dependents = new Dictionary<Node, List<Node>>();
        foreach (var node in _nodes)
        {
            var producers = DependenciesOf(node).Where(order.ContainsKey).Distinct().ToList();
            pending[node] = producers.Count;
            foreach (var producer in producers)
            {
                if (!dependents.TryGetValue(producer, out var list))
                {
                    dependents[producer] = list = [];
                }

                list.Add(node);
            }
        }

        var ready = new PriorityQueue<Node, int>();
        foreach (var node in _nodes.Where(n => pending[n] == 0))
        {
            ready.Enqueue(node, order[node]);
        }

        var sorted = new List<Node>(_nodes.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            sorted.Add(node);
            foreach (var dependent in dependents.GetValueOrDefault(node) ?? [])
            {
                if (--pending[dependent] == 0)
                {
                    ready.Enqueue(dependent, order[dependent]);
                }
            }
        }

        if (sorted.Count != _nodes.Count)
        {
            var stuck = _nodes.First(n => pending[n] > 0);
            throw new CompressionException(DiagnosticCodes.GraphInvalid, SourceLocation.None with { Element = $"node {stuck.Name}" },
                $"graph '{Name}' has a cycle through node '{stuck.Name}' ({stuck.OpType})");
        }

        _nodes.Clear();
        _nodes.AddRange(sorted);
    }

    /// <summary>An independent copy of this graph as it is now (edits to either leave the other alone).</summary>
    public OnnxGraph Copy() => Import(Export());

    /// <summary>
    /// Makes each named value a graph output as well, after the existing outputs, in the given order and once each, so
    /// that a runtime returns intermediate tensors. This changes the model's interface: do it on a <see cref="Copy"/>.
    /// A value with no declared type is declared float32 (the type every activation a feed reads has), without a shape;
    /// an initializer keeps the type and shape of its data.
    /// </summary>
    public void ExposeAsOutputs(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            var value = this[name];
            if (Outputs.Contains(value))
            {
                continue;
            }

            if (value.Info is null && value.Initializer is null)
            {
                value.Info = new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                };
            }

            Outputs.Add(value);
        }
    }

    /// <summary>A new model: the imported one with this graph's current nodes, values and initializers.</summary>
    public ModelProto Export()
    {
        var model = _modelTemplate.Clone();
        var graph = _graphTemplate.Clone();
        foreach (var node in _nodes)
        {
            var proto = node.Source.Clone();
            proto.Input.Clear();
            proto.Input.AddRange(node.Inputs.Select(v => v.Name));
            proto.Output.Clear();
            proto.Output.AddRange(node.Outputs.Select(v => v.Name));
            graph.Node.Add(proto);
        }

        var live = Initializers.ToList();
        graph.Initializer.AddRange(live.Select(v => v.Initializer!.Clone()));

        // Old exporters (IR < 4) also list initializers as graph inputs; those stay where they were. New initializers
        // are not added as inputs, which every IR version accepts.
        var emitted = new HashSet<Value>();
        foreach (var value in _declaredInputOrder.Concat(Inputs))
        {
            var isInput = Inputs.Contains(value) || value.Initializer is not null;
            if (isInput && emitted.Add(value))
            {
                graph.Input.Add(InfoFor(value));
            }
        }

        foreach (var value in Outputs)
        {
            graph.Output.Add(InfoFor(value));
        }

        var interface_ = new HashSet<Value>(Inputs.Concat(Outputs).Concat(live));
        var written = new HashSet<Value>();
        foreach (var value in _valueInfoOrder.Concat(_nodes.SelectMany(n => n.Outputs)))
        {
            if (value.Info is not null && !value.IsEmpty && !interface_.Contains(value) && Find(value.Name) == value && written.Add(value))
            {
                graph.ValueInfo.Add(InfoFor(value));
            }
        }

        model.Graph = graph;
        return model;
    }

    internal static TensorProto? ConstantNodeTensor(Node constant)
    {
        foreach (var attribute in constant.Attributes)
        {
            switch (attribute.Name)
            {
                case "value":
                    return attribute.T;
                case "value_float":
                    return TensorData.Create<float>(constant.Outputs[0].Name, [], [attribute.F]);
                case "value_floats":
                    return TensorData.Create<float>(constant.Outputs[0].Name, [attribute.Floats.Count], attribute.Floats.ToArray());
                case "value_int":
                    return TensorData.Create<long>(constant.Outputs[0].Name, [], [attribute.I]);
                case "value_ints":
                    return TensorData.Create<long>(constant.Outputs[0].Name, [attribute.Ints.Count], attribute.Ints.ToArray());
            }
        }

        return null;
    }

    private static string NormalizeDomain(string domain) => domain == "ai.onnx" ? string.Empty : domain;

    private static ValueInfoProto InfoFromTensor(TensorProto tensor)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(tensor.Dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = tensor.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = tensor.DataType, Shape = shape } },
        };
    }

    private static IEnumerable<string> NamesReadBy(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
            {
                yield return input;
            }

            foreach (var sub in node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
            {
                foreach (var name in NamesReadBy(sub))
                {
                    yield return name;
                }
            }
        }

        foreach (var output in graph.Output)
        {
            yield return output.Name;
        }
    }

    private void Populate(GraphProto graph)
    {
        foreach (var tensor in graph.Initializer)
        {
            var value = GetOrCreate(tensor.Name);
            value.Initializer = tensor;
            _initializers.Add(value);
        }

        foreach (var info in graph.Input)
        {
            var value = GetOrCreate(info.Name);
            value.Info = info;
            _declaredInputOrder.Add(value);
            if (value.Initializer is null)
            {
                Inputs.Add(value);
            }
        }

        foreach (var info in graph.Output)
        {
            var value = GetOrCreate(info.Name);
            value.Info ??= info;
            Outputs.Add(value);
        }

        foreach (var info in graph.ValueInfo)
        {
            var value = GetOrCreate(info.Name);
            value.Info ??= info;
            _valueInfoOrder.Add(value);
        }

        foreach (var proto in graph.Node)
        {
            var inputs = proto.Input.Select(GetOrCreate).ToList();
            var outputs = proto.Output.Select(GetOrCreate).ToList();
            var node = new Node(proto, inputs, outputs);
            foreach (var output in outputs.Where(o => !o.IsEmpty))
            {
                if (output.Producer is not null || output.Initializer is not null)
                {
                    throw new CompressionException(DiagnosticCodes.GraphInvalid, SourceLocation.None with { Element = $"node {proto.Name}" },
                        $"value '{output.Name}' is produced twice (by node '{proto.Name}' and {(output.Producer is null ? "an initializer" : $"node '{output.Producer.Name}'")})");
                }

                output.Producer = node;
            }

            _nodes.Add(node);
        }

        graph.Node.Clear();
        graph.Initializer.Clear();
        graph.Input.Clear();
        graph.Output.Clear();
        graph.ValueInfo.Clear();
    }

    private Value GetOrCreate(string name)
    {
        if (name.Length == 0)
        {
            return Empty;
        }

        if (!_values.TryGetValue(name, out var value))
        {
            value = new Value(this, name);
            _values.Add(name, value);
        }

        return value;
    }

    private string UniqueNodeName(string opType)
    {
        var names = new HashSet<string>(_nodes.Select(n => n.Name), StringComparer.Ordinal);
        for (var i = _nodes.Count; ; i++)
        {
            var candidate = $"{opType}_{i}";
            if (!names.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private ValueInfoProto InfoFor(Value value)
    {
        var info = value.Info?.Clone() ?? (value.Initializer is not null ? InfoFromTensor(value.Initializer) : new ValueInfoProto());
        info.Name = value.Name;
        return info;
    }

    private HashSet<string> SubgraphReferences()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in _nodes)
        {
            foreach (var sub in node.Attributes.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
            {
                names.UnionWith(NamesReadBy(sub));
            }
        }

        return names;
    }

    private IEnumerable<Node> DependenciesOf(Node node)
    {
        foreach (var input in node.Inputs)
        {
            if (input.Producer is { } producer)
            {
                yield return producer;
            }
        }

        foreach (var sub in node.Attributes.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
        {
            foreach (var name in NamesReadBy(sub))
            {
                if (Find(name)?.Producer is { } producer)
                {
                    yield return producer;
                }
            }
        }
    }
}
