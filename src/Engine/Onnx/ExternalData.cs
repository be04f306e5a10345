using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Onnx.Protobuf;
using Google.Protobuf;

namespace CompressionTasks.Onnx;

/// <summary>
/// ONNX external data: tensors whose bytes live in files next to the model, named by <c>external_data</c> entries
/// <c>location</c> (relative to the model's folder), <c>offset</c> and <c>length</c>.
/// See https://github.com/onnx/onnx/blob/main/docs/ExternalData.md
/// </summary>
internal static class ExternalData
{
    private const int Alignment = 4096; // page-aligned offsets let runtimes memory-map the data

    /// <summary>Reads every external tensor of <paramref name="model"/> into <c>raw_data</c>; returns the data files used.</summary>
    public static IReadOnlyList<string> Load(ModelProto model, string modelPath, string baseDirectory)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var folder = Path.GetFullPath(baseDirectory);
        foreach (var tensor in ModelTensors.All(model))
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
            {
                continue;
            }

            var location = SourceLocation.InFile(modelPath) with { Element = $"tensor {tensor.Name}" };
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            if (!entries.TryGetValue("location", out var relative) || relative.Length == 0)
            {
                throw new CompressionException(DiagnosticCodes.ExternalDataMissing, location,
                    $"tensor '{tensor.Name}' is marked external but has no 'location' entry");
            }

            var dataPath = Path.GetFullPath(Path.Combine(folder, relative));
            if (Path.IsPathRooted(relative) || !dataPath.StartsWith(folder + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                throw new CompressionException(DiagnosticCodes.ExternalDataOutsideModelFolder, location,
                    $"tensor '{tensor.Name}' names external data '{relative}', outside the model's folder '{folder}'");
            }

            // A link is followed, and where it leads must stay inside the model's folder too.
            if (File.Exists(dataPath) && !LinkedPath.IsInside(dataPath, folder))
            {
                throw new CompressionException(DiagnosticCodes.ExternalDataOutsideModelFolder, location,
                    $"tensor '{tensor.Name}' names external data '{relative}', a link to '{LinkedPath.Real(dataPath)}', outside the model's folder '{folder}'");
            }

            if (!File.Exists(dataPath))
            {
                throw new CompressionException(DiagnosticCodes.ExternalDataMissing, location,
                    $"tensor '{tensor.Name}' needs external data file '{relative}', which does not exist in '{folder}'");
            }

            var fileLength = LinkedPath.Length(dataPath);
            var offset = ParseLong(entries, "offset", 0, location, tensor);
            var expected = TensorElementType.ByteCount(tensor.DataType, TensorData.ElementCount(tensor, location));
            var length = ParseLong(entries, "length", expected, location, tensor);
            if (offset < 0 || length < 0 || offset > fileLength || length > fileLength - offset)
            {
                throw new CompressionException(DiagnosticCodes.ExternalDataOutOfRange, location,
                    $"tensor '{tensor.Name}' reads {length} bytes at offset {offset} of '{relative}', which has {fileLength} bytes");
            }

            if (length != expected)
            {
                throw new CompressionException(DiagnosticCodes.TensorSizeInvalid, location,
                    $"tensor '{tensor.Name}' declares dims [{string.Join(", ", tensor.Dims)}] ({expected} bytes) but its external data is {length} bytes");
            }

            if (length > Array.MaxLength)
            {
                throw new CompressionException(DiagnosticCodes.ModelTooLarge, location,
                    $"tensor '{tensor.Name}' has {length} bytes of external data; one tensor must be under 2 GB");
            }

            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            using (var handle = File.OpenHandle(dataPath))
            {
                var read = 0;
                while (read < bytes.Length)
                {
                    var n = RandomAccess.Read(handle, bytes.AsSpan(read), offset + read);
                    if (n == 0)
                    {
                        throw new CompressionException(DiagnosticCodes.ExternalDataOutOfRange, location, $"'{relative}' ended early");
                    }

                    read += n;
                }
            }

            // The array is ours alone, so wrapping it avoids a second copy of the largest buffers in the model.
            tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
            tensor.ExternalData.Clear();
            tensor.ClearDataLocation();
            files.Add(relative);
        }

        return [.. files];
    }

    /// <summary>
    /// Moves every tensor of at least <paramref name="thresholdBytes"/> from <paramref name="model"/> (a copy the caller
    /// owns) into <paramref name="dataStream"/>, in <see cref="ModelTensors.All"/> order, each at a page-aligned offset.
    /// </summary>
    public static void Write(ModelProto model, long thresholdBytes, string dataFileName, Stream dataStream)
    {
        long offset = 0;
        Span<byte> padding = stackalloc byte[Alignment];
        padding.Clear();
        foreach (var tensor in ModelTensors.All(model))
        {
            if (tensor.DataType == (int)TensorProto.Types.DataType.String || TensorData.ByteCount(tensor) < thresholdBytes)
            {
                continue;
            }

            var bytes = TensorData.RawBytes(tensor);
            var aligned = (offset + Alignment - 1) / Alignment * Alignment;
            dataStream.Write(padding[..(int)(aligned - offset)]);
            dataStream.Write(bytes.Span);
            tensor.FloatData.Clear();
            tensor.Int32Data.Clear();
            tensor.Int64Data.Clear();
            tensor.DoubleData.Clear();
            tensor.Uint64Data.Clear();
            tensor.ClearRawData();
            tensor.ExternalData.Clear();
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataFileName });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = aligned.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            offset = aligned + bytes.Length;
        }
    }

    private static long ParseLong(Dictionary<string, string> entries, string key, long fallback, SourceLocation location, TensorProto tensor)
    {
        if (!entries.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CompressionException(DiagnosticCodes.ExternalDataOutOfRange, location,
                $"tensor '{tensor.Name}' has external data {key} '{text}', which is not a non-negative integer");
    }
}
