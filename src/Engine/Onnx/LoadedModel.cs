using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx;

/// <summary>An external data file a model's tensors were read from: its location relative to the model and its size.</summary>
public sealed record ExternalDataFile(string Location, long SizeBytes);

/// <summary>A loaded model (external data already read into memory) and the external data files it used.</summary>
public sealed record LoadedModel(ModelProto Model, IReadOnlyList<ExternalDataFile> ExternalDataFiles);
