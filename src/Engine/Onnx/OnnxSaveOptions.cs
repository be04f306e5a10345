namespace CompressionTasks.Onnx;

/// <summary>How <see cref="OnnxModelFile.Save"/> lays a model out on disk.</summary>
public sealed record OnnxSaveOptions
{
    /// <summary>
    /// When set, every tensor whose data is at least this many bytes goes to one external data file next to the
    /// model (page-aligned, in graph order) instead of into the protobuf. Needed above protobuf's 2 GB limit.
    /// </summary>
    public long? ExternalDataThresholdBytes { get; init; }

    /// <summary>The external data file's name, relative to the model's folder; defaults to <c>&lt;model file name&gt;.data</c>.</summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>For crash tests: called once while the model file is partly written (<see cref="IO.AtomicFile.Write(string, Action{Stream}, Action?)"/>).</summary>
    public Action? PartlyWritten { get; init; }

    public static OnnxSaveOptions Default { get; } = new();
}
