using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Onnx.Protobuf;
using Google.Protobuf;

namespace CompressionTasks.Onnx;

/// <summary>
/// Loads and saves ONNX models. Loading checks that the file is a model and that every tensor's declared size
/// matches the data present (before anything the size of a tensor is allocated), and reads external data into
/// <c>raw_data</c>. Saving is atomic and deterministic: the same model always gives the same bytes.
/// </summary>
public static class OnnxModelFile
{
    /// <summary>Protobuf cannot address messages of 2 GB or more; larger models need external data.</summary>
    public const long MaxProtobufBytes = int.MaxValue;

    /// <summary>The highest IR version any released ONNX writes plus headroom; anything above is not a model.</summary>
    private const long MaxPlausibleIrVersion = 64;

    public static ModelProto Load(string path) => LoadWithExternalData(path).Model;

    /// <summary>Loads a model and says which external data files its tensors were read from.</summary>
    public static LoadedModel LoadWithExternalData(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var location = SourceLocation.InFile(path);
        if (!File.Exists(path))
        {
            throw new CompressionException(DiagnosticCodes.ModelNotFound, location, $"model file '{path}' does not exist");
        }

        var length = LinkedPath.Length(path);
        if (length == 0)
        {
            throw new CompressionException(DiagnosticCodes.ModelEmpty, location, $"model file '{path}' is empty");
        }

        if (length > MaxProtobufBytes)
        {
            throw new CompressionException(DiagnosticCodes.ModelTooLarge, location,
                $"model file '{path}' is {length} bytes; a protobuf model must be under 2 GB (store weights as external data)");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            var model = MappedModelReader.Read(path, span => Parse(span, path));
            var files = ExternalData.Load(model, path, folder);
            ValidateTensors(model, location);
            return new LoadedModel(model, [.. files.Select(f => new ExternalDataFile(f, LinkedPath.Length(Path.Combine(folder, f))))]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(DiagnosticCodes.ModelUnreadable, location, $"cannot read '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Loads a model from a stream. <paramref name="displayName"/> names the source in diagnostics;
    /// <paramref name="baseDirectory"/> is where relative external data locations are resolved.
    /// </summary>
    public static ModelProto Load(Stream stream, string displayName, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var model = Parse(stream, displayName);
        ExternalData.Load(model, displayName, baseDirectory);
        ValidateTensors(model, SourceLocation.InFile(displayName));
        return model;
    }

    private static void ValidateTensors(ModelProto model, SourceLocation location)
    {
        foreach (var tensor in ModelTensors.All(model))
        {
            TensorData.Validate(tensor, location);
        }
    }

    private static ModelProto Parse(Stream stream, string displayName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Malformed(displayName, ex);
        }

        return Check(model, displayName);
    }

    private static ModelProto Parse(ReadOnlySpan<byte> bytes, string displayName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Malformed(displayName, ex);
        }

        return Check(model, displayName);
    }

    private static CompressionException Malformed(string displayName, InvalidProtocolBufferException ex) =>
        new(DiagnosticCodes.ModelMalformed, SourceLocation.InFile(displayName),
            $"'{displayName}' is not a valid ONNX protobuf (truncated or corrupt): {ex.Message}", ex);

    private static ModelProto Check(ModelProto model, string displayName)
    {
        var location = SourceLocation.InFile(displayName);
        if (model.CalculateSize() == 0)
        {
            throw new CompressionException(DiagnosticCodes.ModelEmpty, location, $"model file '{displayName}' is empty");
        }

        if (!model.HasIrVersion || model.IrVersion is < 1 or > MaxPlausibleIrVersion || model.Graph is null)
        {
            throw new CompressionException(DiagnosticCodes.NotAModel, location,
                $"'{displayName}' is protobuf but not an ONNX model (no {(model.Graph is null ? "graph" : "valid ir_version")})");
        }

        foreach (var tensor in ModelTensors.All(model))
        {
            TensorData.ElementCount(tensor, location);
        }

        return model;
    }

    /// <summary>Loads a model from bytes already in memory (no external data).</summary>
    public static ModelProto Load(byte[] bytes, string displayName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new CompressionException(DiagnosticCodes.ModelEmpty, SourceLocation.InFile(displayName), $"model file '{displayName}' is empty");
        }

        var model = Parse(bytes.AsSpan(), displayName);
        ExternalData.Load(model, displayName, Directory.GetCurrentDirectory());
        ValidateTensors(model, SourceLocation.InFile(displayName));
        return model;
    }

    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="path"/> atomically. The model itself is not changed, even when
    /// tensors go to external data. Returns the external data file written, if any.
    /// </summary>
    public static string? Save(ModelProto model, string path, OnnxSaveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= OnnxSaveOptions.Default;
        var location = SourceLocation.InFile(path);
        foreach (var tensor in ModelTensors.All(model))
        {
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                throw new CompressionException(DiagnosticCodes.ModelWriteFailed, location with { Element = $"tensor {tensor.Name}" },
                    $"tensor '{tensor.Name}' still refers to external data; load the model with OnnxModelFile.Load so its data is in memory");
            }
        }

        string? dataPath = null;
        if (options.ExternalDataThresholdBytes is { } threshold
            && ModelTensors.All(model).Any(t => t.DataType != (int)TensorProto.Types.DataType.String && TensorData.ByteCount(t) >= threshold))
        {
            var dataFileName = options.ExternalDataFileName ?? Path.GetFileName(path) + ".data";
            model = model.Clone(); // byte buffers are immutable and shared, so the clone is cheap
            dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataFileName);
            AtomicFile.Write(dataPath, stream => ExternalData.Write(model, threshold, dataFileName, stream));
        }

        var size = model.CalculateSize();
        if (size < 0 || size >= MaxProtobufBytes)
        {
            throw new CompressionException(DiagnosticCodes.ModelTooLarge, location,
                $"model for '{path}' would be 2 GB or more; save it with an external data threshold");
        }

        AtomicFile.Write(path, stream => model.WriteTo(stream), options.PartlyWritten);
        return dataPath;
    }

    /// <summary>The serialized bytes of <paramref name="model"/>, as <see cref="Save"/> writes them without external data.</summary>
    public static byte[] ToBytes(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ToByteArray();
    }
}
