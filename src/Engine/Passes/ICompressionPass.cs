using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes;

/// <summary>
/// One compression step named in a manifest variant (<c>quantize</c>, <c>convert</c>, <c>prune</c>...). A pass edits the
/// graph in place; the pipeline cleans up, sorts and saves the graph after the variant's last pass.
/// </summary>
public interface ICompressionPass
{
    /// <summary>The manifest name of the pass (the key of its <see cref="PassDescriptor"/>).</summary>
    string Name { get; }

    PassResult Apply(OnnxGraph graph, PassContext context);
}
